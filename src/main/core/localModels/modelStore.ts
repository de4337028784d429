import type { Db } from '../db/open';
import type { GgufSummary, LocalModelKind } from './ggufInfo';
import type { Verification } from './downloader';

/** One row of local_models (app DB, migration 040). */
export interface ModelRecord {
  id: string;
  name: string;
  file: string;
  source: 'download' | 'file';
  catalogId: string | null;
  url: string | null;
  status: 'downloading' | 'ready' | 'failed';
  jobId: string | null;
  attempt: string | null;
  error: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  verification: Verification | null;
  kind: LocalModelKind;
  architecture: string | null;
  parameters: number | null;
  contextLength: number | null;
  embeddingLength: number | null;
  quantization: string | null;
  license: string | null;
  createdAt: string;
  createdBy: string | null;
}

interface Row {
  id: string;
  name: string;
  file: string;
  source: 'download' | 'file';
  catalog_id: string | null;
  url: string | null;
  status: 'downloading' | 'ready' | 'failed';
  job_id: string | null;
  attempt: string | null;
  error: string | null;
  size_bytes: number | null;
  sha256: string | null;
  verification: Verification | null;
  kind: LocalModelKind;
  architecture: string | null;
  parameters: number | null;
  context_length: number | null;
  embedding_length: number | null;
  quantization: string | null;
  license: string | null;
  created_at: string;
  created_by: string | null;
}

const toRecord = (r: Row): ModelRecord => ({
  id: r.id,
  name: r.name,
  file: r.file,
  source: r.source,
  catalogId: r.catalog_id,
  url: r.url,
  status: r.status,
  jobId: r.job_id,
  attempt: r.attempt,
  error: r.error,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  verification: r.verification,
  kind: r.kind,
  architecture: r.architecture,
  parameters: r.parameters,
  contextLength: r.context_length,
  embeddingLength: r.embedding_length,
  quantization: r.quantization,
  license: r.license,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** Plain data access for local_models; the rules live in ModelService. */
export class ModelStore {
  constructor(private readonly db: Db) {}

  list(): ModelRecord[] {
    return (this.db.prepare('SELECT * FROM local_models ORDER BY created_at, id').all() as Row[]).map(toRecord);
  }

  get(id: string): ModelRecord | undefined {
    const row = this.db.prepare('SELECT * FROM local_models WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  byFile(file: string): ModelRecord | undefined {
    const row = this.db.prepare('SELECT * FROM local_models WHERE file = ?').get(file) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  byCatalog(catalogId: string): ModelRecord | undefined {
    const row = this.db.prepare('SELECT * FROM local_models WHERE catalog_id = ? ORDER BY created_at DESC LIMIT 1').get(catalogId) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  byUrl(url: string): ModelRecord | undefined {
    const row = this.db.prepare('SELECT * FROM local_models WHERE url = ? ORDER BY created_at DESC LIMIT 1').get(url) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** A free id: the slug itself, or the slug with -2, -3, … */
  freeId(slug: string): string {
    const base = slug.slice(0, 72) || 'model';
    const taken = new Set(this.db.prepare('SELECT id FROM local_models WHERE id = ? OR id LIKE ?').pluck().all(base, `${base}-%`) as string[]);
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  }

  insert(r: Pick<ModelRecord, 'id' | 'name' | 'file' | 'source' | 'catalogId' | 'url' | 'status' | 'createdAt' | 'createdBy'> & Partial<ModelRecord>): void {
    this.db
      .prepare(
        `INSERT INTO local_models (id, name, file, source, catalog_id, url, status, job_id, size_bytes, sha256, license, created_at, created_by)
         VALUES (@id, @name, @file, @source, @catalogId, @url, @status, @jobId, @sizeBytes, @sha256, @license, @createdAt, @createdBy)`,
      )
      .run({ jobId: null, sizeBytes: null, sha256: null, license: null, ...r });
  }

  /** Claims the model for one download attempt (before its job starts). */
  claim(id: string, attempt: string): void {
    this.db.prepare("UPDATE local_models SET status = 'downloading', attempt = ?, error = NULL WHERE id = ?").run(attempt, id);
  }

  setDownloading(id: string, jobId: string): void {
    this.db.prepare("UPDATE local_models SET status = 'downloading', job_id = ?, error = NULL WHERE id = ?").run(jobId, id);
  }

  setFailed(id: string, error: string): void {
    this.db.prepare("UPDATE local_models SET status = 'failed', error = ? WHERE id = ?").run(error, id);
  }

  /** Records the GGUF metadata and marks the model usable. */
  setReady(id: string, info: GgufSummary, extra: { sha256?: string | null; verification?: Verification | null; license?: string | null } = {}): void {
    this.db
      .prepare(
        `UPDATE local_models SET status = 'ready', error = NULL, size_bytes = @sizeBytes, sha256 = COALESCE(@sha256, sha256),
           verification = COALESCE(@verification, verification), kind = @kind, architecture = @architecture, parameters = @parameters,
           context_length = @contextLength, embedding_length = @embeddingLength, quantization = @quantization,
           license = COALESCE(license, @license)
         WHERE id = @id`,
      )
      .run({
        id,
        sizeBytes: info.sizeBytes,
        sha256: extra.sha256 ?? null,
        verification: extra.verification ?? null,
        kind: info.kind,
        architecture: info.architecture,
        parameters: info.parameters,
        contextLength: info.contextLength,
        embeddingLength: info.embeddingLength,
        quantization: info.fileType,
        license: extra.license ?? info.license,
      });
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM local_models WHERE id = ?').run(id);
  }
}
