import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Profile } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Settings } from './appDb';

interface ProfileRow {
  id: string;
  name: string;
  role: 'member' | 'admin';
  created_at: string;
}

const toProfile = (r: ProfileRow): Profile => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at });

/**
 * Local profiles. On a personal install the first profile (named after the OS user) is an admin. Roles gate
 * configuration routes; they are guard rails between people sharing one install, not an OS security boundary.
 */
export class ProfileService {
  constructor(
    private readonly db: Db,
    private readonly settings: Settings,
    private readonly now: () => Date,
  ) {}

  /** Creates the first profile if there is none; returns the active profile. */
  async ensureDefault(): Promise<Profile> {
    const count = (this.db.prepare('SELECT count(*) AS n FROM profiles').get() as { n: number }).n;
    if (count === 0) {
      let name = 'Admin';
      try {
        name = userInfo().username || name;
      } catch {
        // Some sandboxes have no passwd entry; fall back to a generic name.
      }
      const p = this.insert(name, 'admin');
      await this.settings.set('activeProfileId', p.id);
    }
    return this.active();
  }

  list(): Profile[] {
    return (this.db.prepare('SELECT * FROM profiles ORDER BY created_at, name').all() as ProfileRow[]).map(toProfile);
  }

  get(id: string): Profile {
    const row = this.db.prepare('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
    if (!row) throw new AppError('not_found', `There is no profile with id "${id}".`);
    return toProfile(row);
  }

  findByName(name: string): Profile | undefined {
    const row = this.db.prepare('SELECT * FROM profiles WHERE name = ? COLLATE NOCASE').get(name) as ProfileRow | undefined;
    return row ? toProfile(row) : undefined;
  }

  active(): Profile {
    const id = this.settings.get<string>('activeProfileId');
    if (id) {
      const row = this.db.prepare('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
      if (row) return toProfile(row);
    }
    const first = this.db.prepare("SELECT * FROM profiles ORDER BY role = 'admin' DESC, created_at LIMIT 1").get() as ProfileRow | undefined;
    if (!first) throw new AppError('internal', 'No local profile exists.');
    return toProfile(first);
  }

  create(name: string, role: 'member' | 'admin'): Profile {
    if (this.findByName(name)) throw new AppError('conflict', `A profile named "${name}" already exists; pick another name.`);
    return this.insert(name, role);
  }

  setRole(id: string, role: 'member' | 'admin'): Profile {
    const p = this.get(id);
    if (p.role === 'admin' && role === 'member') {
      const admins = (this.db.prepare("SELECT count(*) AS n FROM profiles WHERE role = 'admin'").get() as { n: number }).n;
      if (admins <= 1) throw new AppError('conflict', `${p.name} is the only admin; make another profile admin first.`);
    }
    this.db.prepare('UPDATE profiles SET role = ? WHERE id = ?').run(role, id);
    return { ...p, role };
  }

  async switchTo(id: string): Promise<Profile> {
    const p = this.get(id);
    await this.settings.set('activeProfileId', p.id);
    return p;
  }

  private insert(name: string, role: 'member' | 'admin'): Profile {
    const p: Profile = { id: randomUUID(), name, role, createdAt: this.now().toISOString() };
    this.db.prepare('INSERT INTO profiles (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(p.id, p.name, p.role, p.createdAt);
    return p;
  }
}
