import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '@shared/errors';
import type { GgufFileInfo } from 'node-llama-cpp';
import { nodeLlamaCpp, type NodeLlamaCpp } from './binding';

export type LocalModelKind = 'chat' | 'embedding' | 'whisper' | 'unknown';

/** What the app needs to know about a GGUF file without loading its weights. */
export interface GgufSummary {
  version: number;
  architecture: string;
  name: string | null;
  kind: LocalModelKind;
  /** Total weights (sum of tensor element counts). */
  parameters: number;
  contextLength: number | null;
  embeddingLength: number | null;
  /** Quantization, e.g. "Q4_K_M", "F16". */
  fileType: string | null;
  license: string | null;
  hasChatTemplate: boolean;
  sizeBytes: number;
}

/** Encoder-only architectures: they embed but cannot generate. */
const ENCODER_ARCHITECTURES = new Set(['bert', 'nomic-bert', 'nomic-bert-moe', 'jina-bert-v2', 'jina-bert-v3', 'modern-bert', 'neo-bert', 't5encoder', 'gte']);

/** Decides chat vs embedding from the metadata: encoder architectures, a pooling type, or non-causal attention. */
export function kindFromMetadata(architecture: string, arch: Record<string, unknown> | undefined): LocalModelKind {
  if (ENCODER_ARCHITECTURES.has(architecture)) return 'embedding';
  const pooling = arch?.pooling_type;
  if (typeof pooling === 'number' && pooling > 0) return 'embedding';
  if (arch?.causal_attention === false) return 'embedding';
  return architecture ? 'chat' : 'unknown';
}

/** Explains what a non-GGUF file probably is, from its first bytes. */
function describeForeign(head: Buffer): string {
  const text = head.toString('latin1');
  if (/^\s*<(!doctype|html|\?xml)/i.test(text)) return 'it is a web page, so the link probably points to a download page rather than the file itself';
  if (text.startsWith('PK')) return 'it is a ZIP archive';
  if (head.length >= 9 && head[8] === 0x7b) return 'it looks like a safetensors file; convert it to GGUF with llama.cpp first';
  if (text.startsWith('{') || text.startsWith('[')) return 'it is a JSON file';
  if (head.length === 0) return 'it is empty';
  return `it starts with bytes ${head.subarray(0, 4).toString('hex')} instead of "GGUF"`;
}

/** Reads the fixed header and throws a clear validation error for anything that is not GGUF v2/v3. */
export async function checkGgufHeader(path: string): Promise<{ version: number; sizeBytes: number }> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new AppError('validation', `${path} is a folder, not a model file. Pick the .gguf file inside it.`);
    size = st.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('not_found', `There is no file at ${path}.`);
  }
  const fh = await open(path, 'r');
  const head = Buffer.alloc(16);
  let read: number;
  try {
    ({ bytesRead: read } = await fh.read(head, 0, 16, 0));
  } finally {
    await fh.close();
  }
  const bytes = head.subarray(0, read);
  if (read < 8 || bytes.toString('latin1', 0, 4) !== 'GGUF') {
    throw new AppError('validation', `${basename(path)} is not a GGUF model file: ${describeForeign(bytes)}. Local models must be .gguf files.`, { reason: 'not_gguf' });
  }
  const version = bytes.readUInt32LE(4);
  if (version !== 2 && version !== 3) {
    throw new AppError('validation', `${basename(path)} is GGUF version ${version}; this app reads versions 2 and 3. Download a newer conversion of the model.`, { reason: 'gguf_version' });
  }
  return { version, sizeBytes: size };
}

/** Bytes per block and elements per block of the common ggml tensor types (ggml's block_* structs). */
const TYPE_SIZES: Record<string, [bytes: number, elements: number]> = {
  F32: [4, 1],
  F16: [2, 1],
  BF16: [2, 1],
  F64: [8, 1],
  I8: [1, 1],
  I16: [2, 1],
  I32: [4, 1],
  I64: [8, 1],
  Q4_0: [18, 32],
  Q4_1: [20, 32],
  Q5_0: [22, 32],
  Q5_1: [24, 32],
  Q8_0: [34, 32],
  Q2_K: [84, 256],
  Q3_K: [110, 256],
  Q4_K: [144, 256],
  Q5_K: [176, 256],
  Q6_K: [210, 256],
  IQ4_NL: [18, 32],
  IQ4_XS: [136, 256],
};

/**
 * A truncated download still has a readable header; the tensor data must be all there too. Each tensor ends at
 * its file offset plus its size; the file must reach the furthest end. Types not in the table count at one bit
 * per weight, below every format llama.cpp has, so a valid file is never refused.
 */
function checkComplete(m: NodeLlamaCpp, info: GgufFileInfo, path: string, sizeBytes: number): void {
  if (info.splicedParts !== 1) return; // split models: llama.cpp checks each part when loading
  let required = info.infoEndOffset ?? 0;
  for (const t of info.tensorInfo ?? []) {
    const elements = t.dimensions.reduce<number>((n, d) => n * Number(d), 1);
    const known = TYPE_SIZES[m.GgmlType[t.ggmlType] ?? ''];
    const bytes = known ? Math.ceil(elements / known[1]) * known[0] : Math.ceil(elements / 8);
    required = Math.max(required, Number(t.fileOffset) + bytes);
  }
  if (sizeBytes < required) {
    throw new AppError('validation', `${basename(path)} is truncated: its tensors need ${required} bytes but the file has ${sizeBytes}. Download it again.`, { reason: 'gguf_damaged' });
  }
}

/** Validates a GGUF file and summarises its metadata (architecture, size, context, embedding or chat). */
export async function inspectGguf(path: string): Promise<GgufSummary> {
  const { version, sizeBytes } = await checkGgufHeader(path);
  const m = await nodeLlamaCpp();
  let info: Awaited<ReturnType<typeof m.readGgufFileInfo>>;
  try {
    info = await m.readGgufFileInfo(path, {
      sourceType: 'filesystem',
      logWarnings: false,
      // The vocabulary is the bulk of the metadata and tells us nothing here.
      ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'],
    });
  } catch (error) {
    throw new AppError('validation', `${basename(path)} has a GGUF header but its metadata cannot be read (${(error as Error).message}). The file is probably truncated or damaged.`, { reason: 'gguf_damaged' });
  }
  checkComplete(m, info, path, sizeBytes);
  const general = info.metadata.general as unknown as Record<string, unknown> | undefined;
  const architecture = typeof general?.architecture === 'string' ? general.architecture : '';
  if (!architecture) throw new AppError('validation', `${basename(path)} does not say which model architecture it is (general.architecture is missing).`, { reason: 'gguf_damaged' });
  const arch = info.architectureMetadata as unknown as Record<string, unknown> | undefined;
  let parameters = 0;
  for (const t of info.fullTensorInfo ?? info.tensorInfo ?? []) parameters += t.dimensions.reduce<number>((n, d) => n * Number(d), 1);
  const fileTypeNo = typeof general?.file_type === 'number' ? general.file_type : null;
  const fileTypeName = fileTypeNo === null ? null : (m.GgufFileType[fileTypeNo] as string | undefined);
  const tokenizer = info.metadata.tokenizer as unknown as Record<string, unknown> | undefined;
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
  return {
    version,
    architecture,
    name: typeof general?.name === 'string' ? general.name : null,
    kind: kindFromMetadata(architecture, arch),
    parameters,
    contextLength: num(arch?.context_length),
    embeddingLength: num(arch?.embedding_length),
    fileType: fileTypeName ? fileTypeName.replace(/^(MOSTLY|ALL)_/, '') : null,
    license: typeof general?.license === 'string' ? general.license : null,
    hasChatTemplate: typeof tokenizer?.chat_template === 'string',
    sizeBytes,
  };
}
