import { ANALYTICS_GRAINS, FILTER_OPS, TIME_PRESETS, type CatalogInfo } from '@shared/analytics/spec';
import { DIMENSIONS, getSource, MEASURES, measureDimensions, measureTables } from './catalog';

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
      };
    }),
    dimensions: DIMENSIONS.map((d) => ({ name: d.name, label: d.label, description: d.description, ...(d.values ? { values: [...d.values] } : {}) })),
    grains: [...ANALYTICS_GRAINS],
    presets: [...TIME_PRESETS],
    filterOps: [...FILTER_OPS],
  };
}
