import { Accordion, Anchor, Badge, Group, Paper, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { RecordChildren, RefTitles } from '@shared/contract';
import { getEntity, type ColumnSpec, type EntitySpec } from '@shared/entities';
import type { InsightSummary } from '@shared/insights';
import { recordTitle } from '@shared/records';
import { fmtAgo } from '../configuration/shared/format';
import { SEVERITY_COLOR, SEVERITY_LABEL, STATUS_COLOR, STATUS_LABEL } from '../insights/format';
import { formatCell, referenceText } from './format';
import classes from './record.module.css';

type Row = Record<string, unknown>;
export interface RecordTarget {
  entity: string;
  id: number;
}
type Open = (t: RecordTarget) => void;

/** A reference as a link that opens the referenced record in the drawer. */
function RefLink({ text, target, onOpen }: { text: string; target: RecordTarget; onOpen: Open }) {
  return (
    <UnstyledButton className={classes.link} onClick={() => onOpen(target)} data-testid="ref-link" data-entity={target.entity} data-id={target.id}>
      {text}
    </UnstyledButton>
  );
}

/** One cell as text, or as a link when it names another record. */
function Cell({ col, row, refs, onOpen }: { col: ColumnSpec; row: Row; refs: RefTitles | undefined; onOpen: Open }) {
  if (col.ref || col.refTypeColumn) {
    const ref = referenceText(col, row, refs);
    if (!ref) return <>—</>;
    return <RefLink text={ref.text} target={{ entity: ref.entity, id: ref.id }} onOpen={onOpen} />;
  }
  return <>{formatCell(col, row[col.name]) || '—'}</>;
}

/** Every field of the record, with references named and linked. */
export function RecordFields({ spec, record, refs, onOpen }: { spec: EntitySpec; record: Row; refs: RefTitles; onOpen: Open }) {
  return (
    <Table withRowBorders={false} verticalSpacing={4} data-testid="record-fields">
      <Table.Tbody>
        {spec.columns.map((c) => (
          <Table.Tr key={c.name}>
            <Table.Td w={160} valign="top">
              <Text size="sm" c="dimmed">
                {c.label}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" component="div" className={classes.value} data-field={c.name}>
                <Cell col={c} row={record} refs={refs} onOpen={onOpen} />
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The insights about the record: status, severity and a link to each. */
export function RecordInsights({ items, total, entity, id }: { items: InsightSummary[]; total: number; entity: string; id: number }) {
  const spec = getEntity(entity);
  if (total === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="record-insights-empty">
        No insights about this {spec?.singular.toLowerCase() ?? 'record'} yet.
      </Text>
    );
  }
  return (
    <Stack gap={6} data-testid="record-insights">
      {items.map((i) => (
        <Group key={i.id} gap={6} wrap="nowrap" data-testid="record-insight">
          {i.severity && (
            <Badge size="xs" color={SEVERITY_COLOR[i.severity]} style={{ flexShrink: 0 }}>
              {SEVERITY_LABEL[i.severity]}
            </Badge>
          )}
          <Badge size="xs" variant="light" color={STATUS_COLOR[i.status]} style={{ flexShrink: 0 }}>
            {STATUS_LABEL[i.status]}
          </Badge>
          <Anchor component={Link} to={`/insights?id=${encodeURIComponent(i.id)}`} size="sm" truncate="end" style={{ minWidth: 0 }}>
            {i.title || (i.status === 'failed' ? 'Analysis failed' : 'Analysing…')}
          </Anchor>
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            {fmtAgo(i.createdAt)}
          </Text>
        </Group>
      ))}
      {total > items.length && (
        <Anchor component={Link} to={`/insights?entity=${encodeURIComponent(entity)}&record=${id}`} size="sm">
          All {total.toLocaleString('en-US')} insights about it <IconArrowRight size={12} />
        </Anchor>
      )}
    </Stack>
  );
}

/** The columns a child row shows: what identifies it, minus the link back to the parent and internal ids. */
const childColumns = (child: EntitySpec, backColumn: string): { meta: ColumnSpec[]; body: ColumnSpec[] } => {
  const shown = child.columns.filter((c) => !c.hidden && c.name !== backColumn && c.type !== 'id' && !(child.columns.some((x) => x.refTypeColumn === c.name)));
  return { meta: shown.filter((c) => c.type !== 'longtext'), body: shown.filter((c) => c.type === 'longtext') };
};

/** A short line about a child row: its date, author, status… ("customer · Jane Roe · 2026-03-01 10:12"). */
const metaLine = (cols: ColumnSpec[], r: Row, refs: RefTitles): string =>
  cols
    .map((c) => {
      if (c.type === 'boolean') return r[c.name] ? c.label : '';
      if (c.ref || c.refTypeColumn) return referenceText(c, r, refs)?.text ?? '';
      return formatCell(c, r[c.name]);
    })
    .filter(Boolean)
    // A comment's author name and its agent are often the same person: say it once.
    .filter((v, i, all) => all.indexOf(v) === i)
    .slice(0, 5)
    .join(' · ');

/** Children with a body (comments, messages) read as a feed. */
function ChildFeed({ group, child }: { group: RecordChildren; child: EntitySpec }) {
  const { meta, body } = childColumns(child, group.column);
  return (
    <Stack gap={6}>
      {group.rows.map((r, n) => (
        <Paper key={String(r.id ?? n)} withBorder radius="sm" p="xs" data-testid="child-row">
          <Text size="xs" c="dimmed" mb={2}>
            {metaLine(meta, r, group.refs)}
          </Text>
          {body.map((c) => (
            <Text key={c.name} size="sm" className={classes.value}>
              {formatCell(c, r[c.name]) || '—'}
            </Text>
          ))}
        </Paper>
      ))}
    </Stack>
  );
}

function ChildTable({ group, child, onOpen }: { group: RecordChildren; child: EntitySpec; onOpen: Open }) {
  // The row's name first (a contact's full name, a deal's name), then what tells rows apart.
  const named = child.titleColumn !== 'id' || Boolean(child.titleColumns);
  const nameCols = new Set([...(child.titleColumns ?? [child.titleColumn]), ...(child.codeColumn ? [child.codeColumn] : [])]);
  const cols = childColumns(child, group.column)
    .meta.filter((c) => !named || !nameCols.has(c.name))
    .slice(0, named ? 4 : 5);
  const single = child.primaryKey.length === 1;
  return (
    <Table.ScrollContainer minWidth={360}>
      <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm" highlightOnHover={single}>
        <Table.Thead>
          <Table.Tr>
            {named && <Table.Th>{child.singular}</Table.Th>}
            {cols.map((c) => (
              <Table.Th key={c.name}>{c.label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {group.rows.map((r, n) => (
            <Table.Tr
              key={String(r.id ?? n)}
              data-testid="child-row"
              style={{ cursor: single ? 'pointer' : undefined }}
              onClick={single && typeof r.id === 'number' ? () => onOpen({ entity: child.key, id: r.id as number }) : undefined}
              title={single ? `Open ${recordTitle(child, r)}` : undefined}
            >
              {named && (
                <Table.Td className={classes.cell} fw={500}>
                  {recordTitle(child, r)}
                </Table.Td>
              )}
              {cols.map((c) => (
                <Table.Td key={c.name} className={classes.cell}>
                  {c.ref || c.refTypeColumn ? referenceText(c, r, group.refs)?.text ?? '—' : formatCell(c, r[c.name]) || '—'}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Where "show all" goes: the child table filtered to the rows pointing at this record. */
export const childTablePath = (group: RecordChildren, parent: RecordTarget): string => {
  const child = getEntity(group.entity);
  const poly = child?.columns.find((c) => c.name === group.column)?.refTypeColumn;
  return `/data?table=${encodeURIComponent(group.entity)}&ref=${encodeURIComponent(`${group.column}:${parent.id}${poly ? `:${parent.entity}` : ''}`)}`;
};

/**
 * The records that point at this one, one section per kind (a ticket's comments, SLA events and status history; an
 * account's contacts, deals, tickets and renewals), straight from the catalog's references.
 */
export function RecordChildrenList({ groups, parent, onOpen, onShowAll }: { groups: RecordChildren[]; parent: RecordTarget; onOpen: Open; onShowAll: (path: string) => void }) {
  if (groups.length === 0) return <Text size="sm" c="dimmed">Nothing else points at this record.</Text>;
  return (
    <Accordion multiple defaultValue={groups.slice(0, 2).map((g) => `${g.entity}.${g.column}`)} variant="separated" chevronPosition="left" data-testid="record-children">
      {groups.map((g) => {
        const child = getEntity(g.entity)!;
        const feed = child.columns.some((c) => c.type === 'longtext' && !c.hidden);
        return (
          <Accordion.Item key={`${g.entity}.${g.column}`} value={`${g.entity}.${g.column}`} data-testid={`children-${g.entity}`}>
            <Accordion.Control>
              <Group gap={6}>
                <Text size="sm" fw={600}>
                  {g.label}
                </Text>
                <Badge size="sm" variant="light" color="gray" data-testid="children-total">
                  {g.total.toLocaleString('en-US')}
                </Badge>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              {feed ? <ChildFeed group={g} child={child} /> : <ChildTable group={g} child={child} onOpen={onOpen} />}
              {g.total > g.rows.length && (
                <Anchor component="button" type="button" size="sm" mt={6} onClick={() => onShowAll(childTablePath(g, parent))}>
                  Show all {g.total.toLocaleString('en-US')} in the table <IconArrowRight size={12} />
                </Anchor>
              )}
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}
