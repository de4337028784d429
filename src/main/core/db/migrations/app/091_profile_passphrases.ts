import type { Migration } from '../../migrate';

/**
 * Profile passphrases (ADR 0093): an admin profile may be protected by a passphrase, stored only as an scrypt hash
 * with its own salt and parameters ('scrypt$N$r$p$salt$hash', base64). NULL: not protected.
 */
export const migration091ProfilePassphrases: Migration = {
  version: 91,
  name: 'profile_passphrases',
  sql: /* sql */ `
ALTER TABLE profiles ADD COLUMN passphrase_hash TEXT;
`,
};
