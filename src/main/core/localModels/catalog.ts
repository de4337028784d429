import { z } from 'zod';
import { catalogModel, type CatalogModel } from '@shared/contract';
import catalogFile from '../../../../resources/models.json' with { type: 'json' };

const catalogSchema = z.object({ version: z.literal(1), models: z.array(catalogModel) });

/**
 * The curated download list (resources/models.json), bundled with the code so it is found the same way in
 * Electron, the CLI and tests. Validated on first use; a broken entry is a build error caught by the catalog test.
 */
let cached: readonly CatalogModel[] | null = null;
export function defaultCatalog(): readonly CatalogModel[] {
  cached ??= catalogSchema.parse(catalogFile).models;
  return cached;
}
