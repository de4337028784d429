import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { EmbedderInfo } from './embedders/types';
import { chunkingKey, type ChunkingConfig } from './text/chunk';
import { createVersionTables, dropVersionTables, prefilterPossible } from './schema';

export type VersionStatus = 'building' | 'ready' | 'failed' | 'cancelled';

export interface VersionRow {
  id: number;
  embedder_id: string;
  embedder_kind: string;
  embedder_label: string;
  model: string;
  dimensions: number;
  lexical: number;
  chunking: string;
  config_key: string;
  binary_prefilter: number;
  centroid: Buffer | null;
  status: VersionStatus;
  active: number;
  cursor: string | null;
  lease: string | null;
  quality: string | null;
  error: string | null;
  created_at: string;
  created_by: string | null;
  built_at: string | null;
  updated_at: string | null;
  activated_at: string | null;
}

export interface Lease {
  token: string;
  pid: number;
  host: string;
  at: string;
  jobId: string | null;
}

/** A lease older than this is taken over even if its process still runs (it stopped heartbeating). */
const LEASE_STALE_MS = 5 * 60_000;

export const configKeyOf = (embedderId: string, dimensions: number, chunking: ChunkingConfig): string => `${embedderId}@${dimensions}|${chunkingKey(chunking)}`;

export function listVersions(db: Db): VersionRow[] {
  return db.prepare('SELECT * FROM vec_versions ORDER BY id DESC').all() as VersionRow[];
}

export function getVersion(db: Db, id: number): VersionRow {
  const row = db.prepare('SELECT * FROM vec_versions WHERE id = ?').get(id) as VersionRow | undefined;
  if (!row) {
    const ids = (db.prepare('SELECT id FROM vec_versions ORDER BY id').pluck().all() as number[]).join(', ');
    throw new AppError('not_found', `There is no index version ${id}${ids ? ` (versions: ${ids})` : '; build one with "index build"'}.`);
  }
  return row;
}

export function activeVersion(db: Db): VersionRow | undefined {
  return db.prepare('SELECT * FROM vec_versions WHERE active = 1').get() as VersionRow | undefined;
}

/** The newest version with this configuration, in any state. */
export function findByConfig(db: Db, configKey: string): VersionRow | undefined {
  return db.prepare('SELECT * FROM vec_versions WHERE config_key = ? ORDER BY id DESC LIMIT 1').get(configKey) as VersionRow | undefined;
}

export function createVersion(
  db: Db,
  input: { embedder: EmbedderInfo; chunking: ChunkingConfig; prefilter: boolean; createdBy: string | null; now: string },
): VersionRow {
  const prefilter = input.prefilter && prefilterPossible(input.embedder.dimensions);
  const e = input.embedder;
  const id = db.transaction(() => {
    const info = db
      .prepare(
        `INSERT INTO vec_versions (embedder_id, embedder_kind, embedder_label, model, dimensions, lexical, chunking, config_key, binary_prefilter, status, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'building', ?, ?)`,
      )
      .run(e.id, e.kind, e.label, e.model, e.dimensions, e.lexical ? 1 : 0, JSON.stringify(input.chunking), configKeyOf(e.id, e.dimensions, input.chunking), prefilter ? 1 : 0, input.now, input.createdBy);
    const versionId = Number(info.lastInsertRowid);
    createVersionTables(db, versionId, e.dimensions, prefilter);
    return versionId;
  })();
  return getVersion(db, id);
}

/** Makes a ready version the one search uses. One statement pair in one transaction: readers see old or new. */
export function activate(db: Db, id: number, reason: string, by: string | null, now: string): VersionRow {
  db.transaction(() => {
    const target = getVersion(db, id);
    if (target.status !== 'ready') throw new AppError('conflict', `Index version ${id} is ${target.status}; only a ready version can be switched to.`);
    const current = activeVersion(db);
    if (current?.id === id) return;
    db.prepare('UPDATE vec_versions SET active = 0 WHERE active = 1').run();
    db.prepare('UPDATE vec_versions SET active = 1, activated_at = ? WHERE id = ?').run(now, id);
    db.prepare('INSERT INTO vec_activations (version_id, previous_id, reason, at, by) VALUES (?, ?, ?, ?, ?)').run(id, current?.id ?? null, reason, now, by);
  })();
  return getVersion(db, id);
}

/** Switches back to the version that was active before the current one (skipping versions deleted since). */
export function rollback(db: Db, by: string | null, now: string): VersionRow {
  const current = activeVersion(db);
  if (!current) throw new AppError('conflict', 'No index version is active, so there is nothing to roll back from.');
  const history = db.prepare('SELECT previous_id FROM vec_activations WHERE version_id = ? AND previous_id IS NOT NULL ORDER BY id DESC').pluck().all(current.id) as number[];
  for (const prev of history) {
    const row = db.prepare("SELECT * FROM vec_versions WHERE id = ? AND status = 'ready'").get(prev) as VersionRow | undefined;
    if (row) return activate(db, row.id, 'rollback', by, now);
  }
  throw new AppError('conflict', `There is no earlier ready version to roll back to from version ${current.id}. Switch to a version explicitly with "index switch".`);
}

export function deleteVersion(db: Db, id: number): void {
  const row = getVersion(db, id);
  if (row.active) throw new AppError('conflict', `Index version ${id} is active; switch to another version (or roll back) before deleting it.`);
  const lease = liveLease(row);
  if (lease) throw new AppError('conflict', `Index version ${id} is being written by a running job${lease.jobId ? ` (${lease.jobId})` : ''}; cancel it first.`);
  db.transaction(() => {
    db.prepare('DELETE FROM vec_chunks WHERE version_id = ?').run(id);
    db.prepare('DELETE FROM vec_documents WHERE version_id = ?').run(id);
    dropVersionTables(db, id);
    db.prepare('DELETE FROM vec_versions WHERE id = ?').run(id);
  })();
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lease on a version if a live writer holds it; null when free or stale (its process died or went silent). */
export function liveLease(row: Pick<VersionRow, 'lease'>, nowMs = Date.now()): Lease | null {
  if (!row.lease) return null;
  const lease = JSON.parse(row.lease) as Lease;
  const age = nowMs - Date.parse(lease.at);
  if (!(age < LEASE_STALE_MS)) return null;
  if (lease.host === hostname() && !pidAlive(lease.pid)) return null;
  return lease;
}

/**
 * Claims the right to write a version. Only one writer at a time, across processes too (the app and a CLI sharing
 * a data folder): a second build of the same version gets a conflict; a writer killed with -9 leaves a lease whose
 * pid is dead, which the next run takes over at once.
 */
export function acquireLease(db: Db, id: number, jobId: string | null, now: Date): Lease {
  return db.transaction(() => {
    const row = getVersion(db, id);
    const held = liveLease(row, now.getTime());
    if (held) throw new AppError('conflict', `Index version ${id} is already being built or updated${held.jobId ? ` (job ${held.jobId})` : ''}${held.pid !== process.pid ? ` by another process (pid ${held.pid})` : ''}.`);
    const lease: Lease = { token: randomUUID(), pid: process.pid, host: hostname(), at: now.toISOString(), jobId };
    db.prepare('UPDATE vec_versions SET lease = ? WHERE id = ?').run(JSON.stringify(lease), id);
    return lease;
  }).immediate();
}

export function releaseLease(db: Db, id: number, token: string): void {
  db.prepare("UPDATE vec_versions SET lease = NULL WHERE id = ? AND json_extract(lease, '$.token') = ?").run(id, token);
}

/** Keeps a lease fresh; called inside each batch transaction. Throws if another writer took the version over. */
export function heartbeat(db: Db, id: number, token: string, now: Date): void {
  const lease = db.prepare('SELECT lease FROM vec_versions WHERE id = ?').pluck().get(id) as string | null | undefined;
  const parsed = lease ? (JSON.parse(lease) as Lease) : null;
  if (!parsed || parsed.token !== token) throw new AppError('conflict', `Another process took over index version ${id}; this run stops.`);
  parsed.at = now.toISOString();
  db.prepare('UPDATE vec_versions SET lease = ? WHERE id = ?').run(JSON.stringify(parsed), id);
}
