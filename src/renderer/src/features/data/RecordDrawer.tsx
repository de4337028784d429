import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Drawer, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconMessageChatbot } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import type { RefTitles, RouteOutput } from '@shared/contract';
import { getEntity, type EntitySpec } from '@shared/entities';
import { call, errorMessage } from '../../api/client';
import { useDataStore } from '../../stores/dataStore';
import { useInsightsStore } from '../../stores/insightsStore';
import { RecordAnalyze } from '../insights/AnalyzeNow';
import { RecordChildrenList, RecordFields, RecordInsights, type RecordTarget } from './RecordSections';

type Detail = RouteOutput<'data.record'>;

const same = (a: RecordTarget | null, b: RecordTarget | null): boolean => a?.entity === b?.entity && a?.id === b?.id;

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap={6}>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/**
 * A record as people read it: its fields with references named and linked, the insights about it, and the records
 * that point at it. Following a link opens that record here, with Back to return; `onNavigate` lets the page keep
 * the address in step.
 */
export function RecordDrawer({
  workspace,
  entity,
  id,
  onClose,
  onNavigate,
}: {
  workspace: string;
  entity: string;
  id: number | null;
  onClose: () => void;
  onNavigate?: (target: RecordTarget) => void;
}) {
  const opened = id === null ? null : { entity, id };
  // The records visited inside the drawer since it opened on `opened`; the last one is shown.
  const [trail, setTrail] = useState<{ base: RecordTarget | null; stack: RecordTarget[] }>({ base: opened, stack: [] });
  const shown = trail.stack.at(-1) ?? trail.base;
  // Opened on another record from outside (not by following a link here): start a new trail.
  if (!same(opened, trail.base) && !same(opened, shown)) setTrail({ base: opened, stack: [] });
  const current = shown;

  const dataVersion = useDataStore((s) => s.version);
  const insightsVersion = useInsightsStore((s) => s.version);
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<{ key: string; value: Detail | { error: string } } | null>(null);
  const key = current ? `${current.entity}#${current.id}` : '';

  useEffect(() => {
    if (!current) return;
    let live = true;
    call('data.record', { workspace, entity: current.entity, id: current.id, childLimit: 10 }).then(
      (r) => live && setLoaded({ key, value: r }),
      (e: unknown) => live && setLoaded({ key, value: { error: errorMessage(e) } }),
    );
    return () => {
      live = false;
    };
    // `key` stands for `current`; a data or insight change refetches what is shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspace, key, dataVersion, insightsVersion]);

  const open = (t: RecordTarget): void => {
    if (same(t, current)) return;
    setTrail((s) => ({ base: s.base, stack: [...s.stack, t] }));
    onNavigate?.(t);
  };
  const back = (): void => {
    const stack = trail.stack.slice(0, -1);
    setTrail({ base: trail.base, stack });
    const to = stack.at(-1) ?? trail.base;
    if (to) onNavigate?.(to);
  };
  const previous = trail.stack.length > 1 ? trail.stack.at(-2)! : trail.stack.length === 1 ? trail.base : null;

  const state = loaded && loaded.key === key ? loaded.value : null;
  const top = useRef<HTMLDivElement>(null);
  // Another record starts at its top, not where the previous one was scrolled to.
  useEffect(() => {
    top.current?.closest('.mantine-Drawer-content')?.scrollTo({ top: 0 });
  }, [key]);
  const spec = current ? getEntity(current.entity) : undefined;
  const detail = state && 'record' in state ? state : null;

  return (
    <Drawer
      opened={current !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        <Group gap={8} wrap="nowrap">
          {spec && (
            <Badge variant="light" color="gray" style={{ flexShrink: 0 }}>
              {spec.singular}
            </Badge>
          )}
          <Title order={4} lineClamp={1} data-testid="record-title">
            {detail?.title ?? spec?.label ?? ''}
          </Title>
        </Group>
      }
    >
      <div ref={top} />
      {!state && <Loader />}
      {state && 'error' in state && <Alert color="red">{state.error}</Alert>}
      {detail && spec && current && (
        <Stack gap="lg" data-testid="record-drawer" data-entity={current.entity} data-id={current.id}>
          {(detail.subtitle || previous) && (
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" c="dimmed" lineClamp={2}>
                {detail.subtitle}
              </Text>
              {previous && (
                <Button size="xs" variant="subtle" leftSection={<IconArrowLeft size={14} />} onClick={back} style={{ flexShrink: 0 }}>
                  Back
                </Button>
              )}
            </Group>
          )}
          <Group gap="xs">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconMessageChatbot size={14} />}
              data-testid="ask-copilot"
              onClick={() => {
                onClose();
                void navigate(`/copilot?context=${current.entity}:${current.id}`);
              }}
            >
              Ask copilot
            </Button>
          </Group>
          <RecordAnalyze workspace={workspace} entity={current.entity} id={current.id} />
          <Section title={`Insights${detail.insights.total ? ` · ${detail.insights.total}` : ''}`}>
            <RecordInsights items={detail.insights.items} total={detail.insights.total} entity={current.entity} id={current.id} />
          </Section>
          <Section title="Details">
            <RecordFields spec={spec} record={detail.record} refs={refTitlesOf(spec, detail.refs)} onOpen={open} />
          </Section>
          <Section title="Related records">
            <RecordChildrenList
              groups={detail.children}
              parent={current}
              onOpen={open}
              onShowAll={(path) => {
                onClose();
                void navigate(path);
              }}
            />
          </Section>
        </Stack>
      )}
    </Drawer>
  );
}

/** The drawer's named references as a titles map, keyed as table cells look them up ("22", or "tickets:12"). */
function refTitlesOf(spec: EntitySpec, refs: Detail['refs']): RefTitles {
  const out: RefTitles = {};
  for (const r of refs) {
    if (r.title === null) continue;
    const poly = spec.columns.find((c) => c.name === r.column)?.refTypeColumn;
    out[r.column] = { [poly ? `${r.entity}:${r.id}` : String(r.id)]: r.title };
  }
  return out;
}
