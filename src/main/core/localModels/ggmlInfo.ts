import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '@shared/errors';
import type { GgufSummary } from './ggufInfo';

/** "ggml" as whisper.cpp writes it: the u32 0x67676d6c, little-endian on disk ("lmgg"). */
export const GGML_MAGIC = 0x67676d6c;

export const isGgmlHead = (head: Buffer): boolean => head.length >= 4 && head.readUInt32LE(0) === GGML_MAGIC;
export const isGgufHead = (head: Buffer): boolean => head.length >= 4 && head.toString('latin1', 0, 4) === 'GGUF';

const LAYOUT_NAMES: Record<string, string> = { '384/4': 'tiny', '512/6': 'base', '768/12': 'small', '1024/24': 'medium', '1280/32': 'large' };
const FTYPES: Record<number, string> = { 0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1' };

export interface WhisperFileInfo {
  nVocab: number;
  nAudioCtx: number;
  nState: number;
  nLayer: number;
  nTextCtx: number;
  nMels: number;
  ftype: number;
  multilingual: boolean;
  /** 'tiny', 'base', … from the layout; null for a layout whisper never published. */
  size: string | null;
}

/**
 * Reads and checks the header of a whisper.cpp model file (legacy GGML: magic, eleven i32 hyperparameters), so a
 * file that is not one is refused before it reaches the speech engine, naming what is wrong.
 */
export async function inspectWhisperGgml(path: string): Promise<{ info: WhisperFileInfo; summary: GgufSummary }> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new AppError('validation', `${path} is a folder, not a model file.`);
    size = st.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('not_found', `There is no file at ${path}.`);
  }
  const fh = await open(path, 'r');
  const head = Buffer.alloc(48);
  let read: number;
  try {
    ({ bytesRead: read } = await fh.read(head, 0, 48, 0));
  } finally {
    await fh.close();
  }
  const name = basename(path);
  if (read < 48 || !isGgmlHead(head)) {
    throw new AppError('validation', `${name} is not a whisper.cpp model file (ggml-*.bin): it does not start with the GGML magic.`, { reason: 'not_ggml' });
  }
  const h = Array.from({ length: 11 }, (_, i) => head.readInt32LE(4 + i * 4));
  const [nVocab, nAudioCtx, nState, nHead, nLayer, nTextCtx, nTextState, , nTextLayer, nMels, ftypeRaw] = h as [number, number, number, number, number, number, number, number, number, number, number];
  const sane = nVocab > 50_000 && nVocab < 60_000 && nAudioCtx > 0 && nAudioCtx <= 1500 && nState > 0 && nState === nTextState && nHead > 0 && nLayer > 0 && nLayer <= 64 && nTextLayer > 0 && nTextCtx > 0 && nTextCtx <= 1024 && (nMels === 80 || nMels === 128);
  if (!sane) throw new AppError('validation', `${name} has a GGML header, but not one of a whisper model (vocabulary ${nVocab}, ${nLayer} layers, ${nMels} mel bands).`, { reason: 'ggml_damaged' });
  const ftype = ftypeRaw % 1000;
  // Weights: two convolutions, the attention and MLP blocks of both stacks and the token embedding (an estimate
  // good to a few per cent; the file is not read to the end).
  const parameters = 3 * nMels * nState + 3 * nState * nState + nLayer * 12 * nState * nState + nTextLayer * 16 * nState * nState + nVocab * nState;
  const multilingual = nVocab >= 51865;
  const sizeName = LAYOUT_NAMES[`${nState}/${nLayer}`] ?? null;
  if (size < parameters) throw new AppError('validation', `${name} is incomplete: ${size} bytes for a model of about ${parameters} weights.`, { reason: 'ggml_damaged' });
  const info: WhisperFileInfo = { nVocab, nAudioCtx, nState, nLayer, nTextCtx, nMels, ftype, multilingual, size: sizeName };
  return {
    info,
    summary: {
      version: 1,
      architecture: 'whisper',
      name: sizeName ? `Whisper ${sizeName}${multilingual ? '' : '.en'}` : null,
      kind: 'whisper',
      parameters,
      contextLength: nTextCtx,
      embeddingLength: nState,
      fileType: FTYPES[ftype] ?? `ftype ${ftype}`,
      license: null,
      hasChatTemplate: false,
      sizeBytes: size,
    },
  };
}
