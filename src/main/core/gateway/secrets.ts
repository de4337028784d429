import { redactText } from '../logger';

/**
 * What the renderer, the CLI and the logs may see of a secret: a recognisable prefix and the last four characters
 * ('sk-…abcd'), or only bullets when the secret is too short for that to be safe.
 */
export function maskSecret(secret: string | null | undefined): string | null {
  if (!secret) return null;
  if (secret.length < 16) return '••••';
  const prefix = /^(sk-|AIza|xai-|gsk_|pk-)/.exec(secret)?.[1] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}

/** Query parameters that carry credentials in URLs (Gemini's ?key=, signed links). */
const SECRET_QUERY = /([?&](?:key|api[-_]?key|apikey|token|access_token|sig|signature)=)[^&\s"'<>]+/gi;
const AUTH_HEADER_TEXT = /((?:authorization|api-key|x-api-key|x-goog-api-key)["']?\s*[:=]\s*["']?)(?:Bearer\s+)?[^\s"',}]+/gi;

/**
 * Scrubs credentials out of text that came from elsewhere: SDK error messages can echo the key, the request URL or
 * headers. Known secrets of the endpoint are removed verbatim; anything shaped like a key is removed by pattern.
 */
export class Sanitizer {
  private readonly secrets: string[];

  constructor(secrets: readonly (string | null | undefined)[]) {
    // Longest first, so a key that contains another secret is removed whole. Very short values would blank out
    // ordinary words, so they are left to the pattern rules.
    this.secrets = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort((a, b) => b.length - a.length);
  }

  clean(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return redactText(out.replace(SECRET_QUERY, '$1[redacted]').replace(AUTH_HEADER_TEXT, '$1[redacted]'));
  }

  /** True when the text still holds one of the endpoint's secrets (used by tests and as a last check). */
  leaks(text: string): boolean {
    return this.secrets.some((s) => text.includes(s));
  }
}

export const noSecrets = new Sanitizer([]);
