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
      <MultiSelect
        aria-label="Severity"
        placeholder={filters.severity.length ? undefined : 'Severity'}
        data={SEVERITY_DATA}
        value={filters.severity}
        onChange={(v) => onChange({ severity: v as InsightFilters['severity'] })}
        w={170}
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      <MultiSelect
        aria-label="Status"
        placeholder={filters.status.length ? undefined : 'Status'}
        data={STATUS_DATA}
        value={filters.status}
        onChange={(v) => onChange({ status: v as InsightFilters['status'] })}
        w={170}
        clearable
      />
      <MultiSelect
        aria-label="Domain"
        placeholder={filters.domain.length ? undefined : 'Domain'}
        data={domainData}
        value={filters.domain}
        onChange={(v) => onChange({ domain: v })}
        w={170}
        clearable
      />
      <MultiSelect
        aria-label="Persona"
        placeholder={filters.persona.length ? undefined : 'Persona'}
        data={personaData}
        value={filters.persona}
        onChange={(v) => onChange({ persona: v })}
        w={230}
        clearable
      />
      <MultiSelect
        aria-label="Kind"
        placeholder={filters.type.length ? undefined : 'Kind'}
        data={TYPE_DATA}
        value={filters.type}
        onChange={(v) => onChange({ type: v as InsightFilters['type'] })}
        w={150}
        clearable
      />
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
