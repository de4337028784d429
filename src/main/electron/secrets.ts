import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../core/ports';
import { keyFileCipher } from '../core/secrets/keyFile';

/**
 * Secrets in the desktop app are encrypted with the OS keychain through safeStorage. Where the OS offers no
 * keychain (a Linux session without a secret service, which safeStorage reports as 'basic_text'), we fall back
 * to the documented 0600 key file the Node hosts use, rather than storing secrets under a hard-coded password.
 */
export function electronCipher(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & { getSelectedStorageBackend?: () => string }, keyPath: string): SecretCipher {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') return keyFileCipher(keyPath);
  const fallback = (): SecretCipher => keyFileCipher(keyPath);
  return {
    kind: 'safeStorage',
    encrypt: (plain) => `ss1:${safeStorage.encryptString(plain).toString('base64')}`,
    decrypt: (text) => (text.startsWith('ss1:') ? safeStorage.decryptString(Buffer.from(text.slice(4), 'base64')) : fallback().decrypt(text)),
  };
}
