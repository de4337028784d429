import { memo, useMemo } from 'react';
import { ActionIcon, Button, Group, MultiSelect, Select, TextInput, Tooltip } from '@mantine/core';
import { IconFilterOff, IconSearch, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import type { PersonaInfo } from '@shared/contract';
import { ENTITIES } from '@shared/entities';
import { INSIGHT_STATUSES, INSIGHT_TYPES, SEVERITIES } from '@shared/insights';
import { activeFilterCount, type InsightFilters, type SortColumn } from '../../stores/insightsStore';
import { DOMAIN_LABEL, SEVERITY_LABEL, STATUS_LABEL, domainLabel } from './format';

const SORTS: { value: SortColumn; label: string }[] = [
  { value: 'createdAt', label: 'Newest' },
  { value: 'severity', label: 'Severity' },
  { value: 'confidence', label: 'Confidence' },
  { value: 'title', label: 'Title' },
  { value: 'status', label: 'Status' },
];

const TYPE_LABEL = { persona: 'AI persona', anomaly: 'Anomaly', trend: 'Trend' } as const;

// Option lists are built once: a filter change then re-renders the controls, not their data.
const SEVERITY_DATA = [...SEVERITIES].reverse().map((s) => ({ value: s, label: SEVERITY_LABEL[s] }));
const STATUS_DATA = INSIGHT_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }));
const TYPE_DATA = INSIGHT_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }));
const ENTITY_DATA = ENTITIES.map((e) => ({ value: e.key, label: e.label }));

/** The filter bar: every control maps to one `insights.list` filter (see filtersToQuery). */
export const InsightFiltersBar = memo(function InsightFiltersBar({ filters, personas, onChange, onReset }: { filters: InsightFilters; personas: PersonaInfo[]; onChange: (patch: Partial<InsightFilters>) => void; onReset: () => void }) {
  const domainData = useMemo(() => [...new Set([...personas.map((p) => p.domain), ...Object.keys(DOMAIN_LABEL)])].map((d) => ({ value: d, label: domainLabel(d) })), [personas]);
  const personaData = useMemo(() => personas.map((p) => ({ value: p.key, label: p.name })), [personas]);
  const active = activeFilterCount(filters);
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <TextInput
        aria-label="Search insights"
        placeholder="Search titles, summaries, factors…"
        leftSection={<IconSearch size={16} />}
        value={filters.search}
        onChange={(e) => onChange({ search: e.currentTarget.value })}
        w={260}
      />
      {(
        [
          ['severity', 'Severity', SEVERITY_DATA, 170],
          ['status', 'Status', STATUS_DATA, 170],
          ['domain', 'Domain', domainData, 170],
          ['persona', 'Persona', personaData, 230],
          ['type', 'Kind', TYPE_DATA, 150],
        ] as const
      ).map(([key, label, data, w]) => (
        <MultiSelect
          key={key}
          aria-label={label}
          placeholder={filters[key].length ? undefined : label}
          data={data}
          value={filters[key]}
          // Every option list holds only that filter's values.
          onChange={(v) => onChange({ [key]: v } as Partial<InsightFilters>)}
          w={w}
          clearable
        />
      ))}
      <Select
        aria-label="Record type"
        placeholder="Record type"
        data={ENTITY_DATA}
        value={filters.entityType}
        onChange={(v) => onChange({ entityType: v })}
        w={160}
        clearable
        searchable
      />
      <TextInput
        aria-label="Record id"
        placeholder="Record id"
        value={filters.entityId}
        onChange={(e) => onChange({ entityId: e.currentTarget.value })}
        error={filters.entityId.trim() && !/^#?\d+$/.test(filters.entityId.trim()) ? 'A number' : undefined}
        w={110}
      />
      <TextInput type="date" aria-label="From date" value={filters.from} onChange={(e) => onChange({ from: e.currentTarget.value })} w={150} />
      <TextInput type="date" aria-label="To date" value={filters.to} onChange={(e) => onChange({ to: e.currentTarget.value })} w={150} />
      <Group gap={4} wrap="nowrap">
        <Select
          aria-label="Sort by"
          data={SORTS}
          value={filters.sort.column}
          onChange={(v) => v && onChange({ sort: { column: v as SortColumn, desc: filters.sort.desc } })}
          allowDeselect={false}
          w={130}
        />
        <Tooltip label={filters.sort.desc ? 'Descending (click for ascending)' : 'Ascending (click for descending)'}>
          <ActionIcon
            variant="default"
            size="input-sm"
            aria-label={filters.sort.desc ? 'Sort descending' : 'Sort ascending'}
            onClick={() => onChange({ sort: { ...filters.sort, desc: !filters.sort.desc } })}
          >
            {filters.sort.desc ? <IconSortDescending size={18} /> : <IconSortAscending size={18} />}
          </ActionIcon>
        </Tooltip>
      </Group>
      {(active > 0 || filters.search) && (
        <Button variant="subtle" leftSection={<IconFilterOff size={16} />} onClick={onReset}>
          Clear{active ? ` (${active})` : ''}
        </Button>
      )}
    </Group>
  );
});
