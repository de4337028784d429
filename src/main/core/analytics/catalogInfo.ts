import { ANALYTICS_GRAINS, FILTER_OPS, TIME_PRESETS, type CatalogInfo } from '@shared/analytics/spec';
import { DIMENSIONS, getSource, MEASURES, measureDimensions, measureTables } from './catalog';

/** Dimensions reached through one reference column of the fact table (owner → deals.owner_id → users). */
function drillable(sourceKey: string): Record<string, { column: string; entity: string }> {
  const source = getSource(sourceKey)!;
  if (source.entity !== source.table) return {};
  const out: Record<string, { column: string; entity: string }> = {};
  for (const [name, d] of Object.entries(source.dimensions)) {
    const j = d.joins?.length === 1 ? d.joins[0]! : null;
    if (j?.from.startsWith('t.') && (d.column === 'name' || d.column === 'title')) out[name] = { column: j.from.slice(2), entity: j.table };
  }
  return out;
}

/** The catalog as the contract shows it (analytics.catalog): names, descriptions, formats, what each measure reads. */
export function catalogInfo(): CatalogInfo {
  return {
    measures: MEASURES.map((m) => {
      const source = getSource(m.source)!;
      const [alias, column] = m.time.split('.') as [string, string];
      const timeTable = alias === 't' ? source.table : (source.baseJoins?.find((j) => j.alias === alias)?.table ?? source.table);
      return {
        name: m.name,
        label: m.label,
        description: m.description,
        domain: m.domain,
        unit: m.unit,
        format: { style: 'number' as const, ...m.format },
        betterWhen: m.betterWhen,
        tables: measureTables(m),
        timeColumn: `${timeTable}.${column}`,
        dimensions: measureDimensions(m),
        entity: source.entity,
        drill: drillable(m.source),
      };
    }),
    dimensions: DIMENSIONS.map((d) => ({ name: d.name, label: d.label, description: d.description, ...(d.values ? { values: [...d.values] } : {}) })),
    grains: [...ANALYTICS_GRAINS],
    presets: [...TIME_PRESETS],
    filterOps: [...FILTER_OPS],
  };
}
