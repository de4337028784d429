import type { Migration } from '../../migrate';

/**
 * Credentials in base URLs (ADR 0092): `base_url` keeps the URL with its credential query parameters and user info
 * removed; the complete URL is stored encrypted in `base_url_enc`, like the API key. Rows written before this
 * migration are split by EndpointStore when it first opens the database (encryption needs the host's cipher, which
 * a migration does not have).
 */
export const migration090UrlCredentials: Migration = {
  version: 90,
  name: 'url_credentials',
  sql: /* sql */ `
ALTER TABLE gateway_endpoints ADD COLUMN base_url_enc TEXT;
`,
};
