import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '@shared/errors';
import { nodeLlamaCpp } from './binding';

export type LocalModelKind = 'chat' | 'embedding' | 'unknown';

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
