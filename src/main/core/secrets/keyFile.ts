import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '@shared/errors';
import type { SecretCipher } from '../ports';

/**
 * Secret encryption for the Node hosts (CLI, web host, tests), where Electron's safeStorage is not available:
 * AES-256-GCM with a random key kept in a file readable only by its owner (0600). It protects secrets in the
 * database files and their backups; anyone who can read the key file as this user can decrypt them.
 */
export function keyFileCipher(keyPath: string): SecretCipher {
  let key: Buffer;
  if (existsSync(keyPath)) {
    key = readFileSync(keyPath);
    if (key.length !== 32) throw new AppError('internal', `The key file ${keyPath} is damaged (expected 32 bytes).`);
    if (process.platform !== 'win32' && (statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600);
  } else {
    mkdirSync(dirname(keyPath), { recursive: true });
    key = randomBytes(32);
    writeFileSync(keyPath, key, { mode: 0o600, flag: 'wx' });
  }
  return {
    kind: 'keyFile',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `kf1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(text) {
      if (!text.startsWith('kf1:')) throw new AppError('internal', 'A stored secret was not written by this key file.');
      const raw = Buffer.from(text.slice(4), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new AppError('internal', `A stored secret cannot be decrypted with ${keyPath}; re-enter the key.`);
      }
    },
  };
}

/** For tests: encrypts nothing, but keeps the shape. */
export const memoryCipher: SecretCipher = {
  kind: 'memory',
  encrypt: (plain) => `mem:${Buffer.from(plain).toString('base64')}`,
  decrypt: (text) => Buffer.from(text.slice(4), 'base64').toString('utf8'),
};
