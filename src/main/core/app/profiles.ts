import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Profile } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Settings } from './appDb';
import { hashPassphrase, verifyPassphrase } from './passphrase';

interface ProfileRow {
  id: string;
  name: string;
  role: 'member' | 'admin';
  created_at: string;
  passphrase_hash: string | null;
}

const toProfile = (r: ProfileRow): Profile => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at, protected: r.passphrase_hash !== null });

const wrongPassphrase = (name: string): AppError =>
  new AppError('forbidden', `That is not the passphrase of ${name}. Ask its owner, or an admin who knows it.`, { reason: 'passphrase' });
const needPassphrase = (name: string, what: string): AppError =>
  new AppError('forbidden', `${name} is protected by a passphrase: give it to ${what} (the app asks for it; on the command line use --passphrase or INTELLIGENCE_DESK_PASSPHRASE).`, {
    reason: 'passphrase_required',
  });

/**
 * Local profiles. On a personal install the first profile (named after the OS user) is an admin. Roles gate
 * configuration routes; they are guard rails between people sharing one install, not an OS security boundary.
 * An admin profile may be protected by a passphrase (ADR 0093): switching to it, acting as it from the command line,
 * and changing roles while acting as it then need the passphrase. Unprotected profiles switch freely.
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
    // A member's profile cannot stay protected (protection is for admin profiles).
    if (role === 'member') this.db.prepare('UPDATE profiles SET role = ?, passphrase_hash = NULL WHERE id = ?').run(role, id);
    else this.db.prepare('UPDATE profiles SET role = ? WHERE id = ?').run(role, id);
    return this.get(id);
  }

  async switchTo(id: string, passphrase?: string): Promise<Profile> {
    const p = this.get(id);
    if (p.id !== this.active().id) await this.unlock(p.id, passphrase, 'switch to it');
    await this.settings.set('activeProfileId', p.id);
    return p;
  }

  /** Throws forbidden unless the profile is unprotected or the passphrase is its own. */
  async unlock(id: string, passphrase: string | undefined, what: string): Promise<Profile> {
    const row = this.row(id);
    const p = toProfile(row);
    if (row.passphrase_hash === null) return p;
    if (passphrase === undefined || passphrase === '') throw needPassphrase(p.name, what);
    if (!(await verifyPassphrase(passphrase, row.passphrase_hash))) throw wrongPassphrase(p.name);
    return p;
  }

  /**
   * Protects an admin profile with a passphrase, or changes it (then the current one is needed). Members cannot be
   * protected: protection guards admin rights, and members switch freely by design.
   */
  async protect(id: string, passphrase: string, current?: string): Promise<Profile> {
    const row = this.row(id);
    if (row.role !== 'admin') throw new AppError('validation', `${row.name} is a member; only admin profiles can be protected by a passphrase.`);
    if (row.passphrase_hash !== null) await this.unlock(id, current, 'change its passphrase');
    const hash = await hashPassphrase(passphrase);
    this.db.prepare('UPDATE profiles SET passphrase_hash = ? WHERE id = ?').run(hash, id);
    return this.get(id);
  }

  async unprotect(id: string, passphrase: string): Promise<Profile> {
    const row = this.row(id);
    if (row.passphrase_hash === null) return toProfile(row);
    await this.unlock(id, passphrase, 'remove its passphrase');
    this.db.prepare('UPDATE profiles SET passphrase_hash = NULL WHERE id = ?').run(id);
    return this.get(id);
  }

  private row(id: string): ProfileRow {
    const row = this.db.prepare('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
    if (!row) throw new AppError('not_found', `There is no profile with id "${id}".`);
    return row;
  }

  private insert(name: string, role: 'member' | 'admin'): Profile {
    const p: Profile = { id: randomUUID(), name, role, createdAt: this.now().toISOString(), protected: false };
    this.db.prepare('INSERT INTO profiles (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(p.id, p.name, p.role, p.createdAt);
    return p;
  }
}
