import type { Db } from '../db/open';
import type { TaskContext } from '../workers/context';

export interface DemoOptions {
  scale: number;
  seed: number;
  anchorDate: string;
  workspaceName: string;
}

/** Small deterministic PRNG (mulberry32): the same seed gives the same workspace. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * PLACEHOLDER generator: users, accounts and tickets only. Replaced by the full generator (every domain, PII in
 * free text, planted trends and anomalies).
 */
export function generateDemo(db: Db, options: DemoOptions, ctx: TaskContext): Record<string, number> {
  const rand = rng(options.seed);
  const anchor = new Date(`${options.anchorDate}T00:00:00Z`).getTime();
  const n = Math.max(1, Math.round(100 * options.scale));
  const counts: Record<string, number> = { users: 0, accounts: 0, tickets: 0 };
  db.transaction(() => {
    db.prepare('INSERT INTO workspace_meta (key, value) VALUES (?, ?)').run('name', options.workspaceName);
    const u = db.prepare('INSERT INTO users (id, name, email, role, created_at) VALUES (?, ?, ?, ?, ?)');
    for (let i = 1; i <= 10; i++) u.run(i, `User ${i}`, `user${i}@example.com`, 'agent', new Date(anchor - 400 * 86400000).toISOString());
    counts.users = 10;
    const a = db.prepare('INSERT INTO accounts (id, name, tier, created_at) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= n; i++) a.run(i, `Account ${i}`, 'smb', new Date(anchor - 300 * 86400000).toISOString());
    counts.accounts = n;
    const t = db.prepare('INSERT INTO tickets (id, code, subject, description, status, priority, account_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (let i = 1; i <= n * 10; i++) {
      t.run(i, `TCK-${String(i).padStart(6, '0')}`, `Ticket ${i}`, 'Customer cannot log in.', 'open', 'normal', 1 + Math.floor(rand() * n), new Date(anchor - Math.floor(rand() * 90) * 86400000).toISOString());
      if (i % 1000 === 0) {
        ctx.throwIfCancelled();
        ctx.progress({ phase: 'tickets', done: i, total: n * 10 });
      }
    }
    counts.tickets = n * 10;
  })();
  return counts;
}
