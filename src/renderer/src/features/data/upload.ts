import { call } from '../../api/client';

const CHUNK = 1024 * 1024;

/**
 * Sends a file to the core's staging area in 1 MB chunks, decoding UTF-8 across chunk edges, and reports the
 * fraction sent. Returns the upload id.
 */
export async function uploadFile(file: Blob, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let uploadId: string | undefined;
  for (let offset = 0; offset < file.size || uploadId === undefined; offset += CHUNK) {
    if (signal?.aborted) throw new DOMException('Upload cancelled', 'AbortError');
    const last = offset + CHUNK >= file.size;
    const text = decoder.decode(await file.slice(offset, offset + CHUNK).arrayBuffer(), { stream: !last });
    uploadId = (await call('import.stage', { uploadId, chunk: text })).uploadId;
    onProgress(file.size ? Math.min(1, (offset + CHUNK) / file.size) : 1);
    if (file.size === 0) break;
  }
  return uploadId!;
}
