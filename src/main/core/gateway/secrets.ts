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
const SECRET_QUERY = /([?&](?:key|api[-_]?key|apikey|x-api-key|token|access[-_]?token|id[-_]?token|auth[-_]?token|sig|signature|code|secret|client[-_]?secret|password|subscription[-_]?key)=)[^&\s"'<>]+/gi;
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

/**
 * Query parameters whose values are credentials (some gateways take the key as `?key=…`, signed URLs carry `sig`):
 * they are split off a base URL, stored encrypted like the API key, and masked wherever the URL is shown (ADR 0092).
 */
export const CREDENTIAL_PARAM =
  /^(?:key|api[-_]?key|apikey|x-api-key|token|access[-_]?token|id[-_]?token|auth|auth[-_]?token|authorization|sig|signature|code|secret|client[-_]?secret|password|passwd|pwd|sas|subscription[-_]?key)$|(?:[-_](?:key|token|secret|signature|password))$/i;

export interface UrlCredentials {
  /** The URL with every credential removed (what may be stored in clear). */
  clean: string;
  /** The URL with credential values masked (what listings, logs and errors show). */
  masked: string;
  /** The credential values themselves (for the error sanitizer). */
  secrets: string[];
}

/**
 * Splits the credentials off a base URL: query parameters named like credentials, and user:password before the
 * host. A URL without any comes back unchanged (not re-serialised), so ordinary URLs are stored exactly as given.
 */
export function urlCredentials(url: string | null | undefined): UrlCredentials | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const secrets: string[] = [];
  const params = [...u.searchParams.entries()];
  const hidden = params.filter(([k]) => CREDENTIAL_PARAM.test(k));
  if (u.username) secrets.push(decodeURIComponent(u.username));
  if (u.password) secrets.push(decodeURIComponent(u.password));
  for (const [, v] of hidden) if (v) secrets.push(v);
  if (secrets.length === 0 && hidden.length === 0) return { clean: url, masked: url, secrets: [] };
  const base = `${u.protocol}//${u.host}${u.pathname}`;
  const query = (mask: boolean): string => {
    const kept = params.filter(([k]) => mask || !CREDENTIAL_PARAM.test(k));
    if (!kept.length) return '';
    return `?${kept.map(([k, v]) => `${encodeURIComponent(k)}=${mask && CREDENTIAL_PARAM.test(k) ? (maskSecret(v) ?? '') : encodeURIComponent(v)}`).join('&')}`;
  };
  const userinfo = u.username || u.password ? '••••@' : '';
  return {
    clean: `${base}${query(false)}${u.hash}`,
    masked: `${u.protocol}//${userinfo}${u.host}${u.pathname}${query(true)}${u.hash}`,
    secrets: [...new Set(secrets)],
  };
}

/** A base URL as anyone but the adapter may see it. */
export const maskUrl = (url: string | null): string | null => (url ? (urlCredentials(url)?.masked ?? url) : url);
