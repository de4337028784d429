import { memo, useMemo } from 'react';
import { ActionIcon, Button, Checkbox, Divider, Group, Popover, ScrollArea, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconChevronDown, IconFilterOff, IconSearch, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import type { PersonaInfo } from '@shared/contract';
import { ENTITIES } from '@shared/entities';
import { INSIGHT_STATUSES, INSIGHT_TYPES, SEVERITIES } from '@shared/insights';
import { activeFilterCount, type InsightFilters, type SortColumn } from '../../stores/insightsStore';
import { DOMAIN_LABEL, SEVERITY_LABEL, STATUS_LABEL, domainLabel } from './format';
import classes from './insights.module.css';

const SORTS: { value: SortColumn; label: string }[] = [
  { value: 'createdAt', label: 'Newest' },
  { value: 'severity', label: 'Severity' },
  { value: 'confidence', label: 'Confidence' },
  { value: 'title', label: 'Title' },
  { value: 'status', label: 'Status' },
];

const TYPE_LABEL = { persona: 'AI persona', anomaly: 'Anomaly', trend: 'Trend' } as const;

type Option = { value: string; label: string };
// Option lists are built once: a filter change then re-renders the controls, not their data.
const SEVERITY_DATA: Option[] = [...SEVERITIES].reverse().map((s) => ({ value: s, label: SEVERITY_LABEL[s] }));
const STATUS_DATA: Option[] = INSIGHT_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }));
const TYPE_DATA: Option[] = INSIGHT_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }));
const ENTITY_DATA: Option[] = ENTITIES.map((e) => ({ value: e.key, label: e.label }));

/** "Severity", or "Severity: Critical +1" when some are chosen: one line, whatever is picked. */
export const menuSummary = (label: string, data: Option[], value: readonly string[]): string => {
  if (value.length === 0) return label;
  const first = data.find((d) => d.value === value[0])?.label ?? value[0]!;
  return `${label}: ${first}${value.length > 1 ? ` +${value.length - 1}` : ''}`;
};

/**
 * A filter as a button that opens a checklist: every choice readable in full, and the bar stays one height. The list
 * renders right after its button (no portal), so Tab moves from the button into the choices.
 */
function FilterMenu({ label, data, value, onChange, footer }: { label: string; data: Option[]; value: readonly string[]; onChange: (v: string[]) => void; footer?: React.ReactNode }) {
  const chosen = data.filter((d) => value.includes(d.value)).map((d) => d.label);
  return (
    <Popover position="bottom-start" shadow="md" withinPortal={false}>
      <Popover.Target>
        <Tooltip label={chosen.join(', ')} disabled={chosen.length < 2} openDelay={300}>
          <Button variant={value.length ? 'light' : 'default'} rightSection={<IconChevronDown size={14} />} aria-label={`${label} filter`} data-testid={`filter-${label.toLowerCase()}`} className={classes.filterButton}>
            <span className={classes.filterText}>{menuSummary(label, data, value)}</span>
          </Button>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <Checkbox.Group value={[...value]} onChange={onChange} aria-label={label}>
          <ScrollArea.Autosize mah={300} type="auto">
            <Stack gap={6} pr="xs">
              {data.map((d) => (
                <Checkbox key={d.value} value={d.value} label={d.label} size="sm" />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Checkbox.Group>
        {(value.length > 0 || footer) && <Divider my="xs" />}
        {footer}
        {value.length > 0 && (
          <Button size="compact-xs" variant="subtle" onClick={() => onChange([])} mt={footer ? 6 : 0}>
            Any {label.toLowerCase()}
          </Button>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

/** The filter bar: every control maps to one `insights.list` filter (see filtersToQuery). */
export const InsightFiltersBar = memo(function InsightFiltersBar({ filters, personas, onChange, onReset }: { filters: InsightFilters; personas: PersonaInfo[]; onChange: (patch: Partial<InsightFilters>) => void; onReset: () => void }) {
  const domainData = useMemo(() => [...new Set([...personas.map((p) => p.domain), ...Object.keys(DOMAIN_LABEL)])].map((d) => ({ value: d, label: domainLabel(d) })), [personas]);
  const personaData = useMemo(() => personas.map((p) => ({ value: p.key, label: p.name })), [personas]);
  const active = activeFilterCount(filters);
  const recordId = filters.entityId.trim();
  const recordError = recordId && !/^#?\d{1,15}$/.test(recordId) ? 'Use the record’s id, a whole number' : undefined;
  return (
    <Group gap="xs" align="flex-start" wrap="wrap" className={classes.filterBar} role="search" aria-label="Filter insights">
      <TextInput
        aria-label="Search insights"
        placeholder="Search insights…"
        title="Searches titles, summaries, factors and recommendations"
        leftSection={<IconSearch size={16} />}
        value={filters.search}
        onChange={(e) => onChange({ search: e.currentTarget.value })}
        w={210}
      />
      <FilterMenu label="Severity" data={SEVERITY_DATA} value={filters.severity} onChange={(v) => onChange({ severity: v as InsightFilters['severity'] })} />
      <FilterMenu
        label="Status"
        data={STATUS_DATA}
        value={filters.status}
        onChange={(v) => onChange({ status: v as InsightFilters['status'] })}
        footer={
          filters.status.length === 0 && (
            <Checkbox size="xs" label="Also show dismissed, expired and superseded" checked={filters.showClosed} onChange={(e) => onChange({ showClosed: e.currentTarget.checked })} />
          )
        }
      />
      <FilterMenu label="Domain" data={domainData} value={filters.domain} onChange={(v) => onChange({ domain: v })} />
      <FilterMenu label="Persona" data={personaData} value={filters.persona} onChange={(v) => onChange({ persona: v })} />
      <FilterMenu label="Kind" data={TYPE_DATA} value={filters.type} onChange={(v) => onChange({ type: v as InsightFilters['type'] })} />
      <Select aria-label="Record type" placeholder="Record type" data={ENTITY_DATA} value={filters.entityType} onChange={(v) => onChange({ entityType: v })} w={150} clearable searchable />
      <TextInput aria-label="Record id" placeholder="Record #" value={filters.entityId} onChange={(e) => onChange({ entityId: e.currentTarget.value })} error={recordError} w={96} />
      <TextInput type="date" aria-label="From date" leftSection={<Text size="xs" c="dimmed">From</Text>} leftSectionWidth={44} value={filters.from} onChange={(e) => onChange({ from: e.currentTarget.value })} w={172} />
      <TextInput type="date" aria-label="To date" leftSection={<Text size="xs" c="dimmed">To</Text>} leftSectionWidth={32} value={filters.to} onChange={(e) => onChange({ to: e.currentTarget.value })} w={160} />
      <Group gap={4} wrap="nowrap">
        <Select aria-label="Sort by" data={SORTS} value={filters.sort.column} onChange={(v) => v && onChange({ sort: { column: v as SortColumn, desc: filters.sort.desc } })} allowDeselect={false} w={124} />
        <Tooltip label={filters.sort.desc ? 'Descending (click for ascending)' : 'Ascending (click for descending)'}>
          <ActionIcon variant="default" size="input-sm" aria-label={filters.sort.desc ? 'Sort descending' : 'Sort ascending'} onClick={() => onChange({ sort: { ...filters.sort, desc: !filters.sort.desc } })}>
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
