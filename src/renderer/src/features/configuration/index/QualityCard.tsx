import type { ReactNode } from 'react';
import { Button, Group, Paper, RingProgress, Select, SimpleGrid, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconRefresh } from '@tabler/icons-react';
import type { IndexVersionInfo, QualityReportInfo } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { useVectorsStore } from '../../../stores/vectorsStore';
import { fmtAgo } from '../shared/format';
import classes from './index.module.css';

const pct = (rate: number): string => (rate === 0 ? '0%' : rate < 0.001 ? '<0.1%' : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`);
export const scoreColor = (score: number): string => (score >= 0.95 ? 'teal' : score >= 0.8 ? 'yellow' : 'red');

function Metric({ label, value, detail, ok, testId }: { label: string; value: ReactNode; detail: ReactNode; ok: boolean; testId: string }) {
  return (
    <div className={classes.metric} data-testid={testId}>
      <Group justify="space-between" wrap="nowrap" gap={4}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {label}
        </Text>
        <ThemeIcon size={18} radius="xl" variant="light" color={ok ? 'teal' : 'orange'} aria-label={ok ? 'fine' : 'needs attention'}>
          {ok ? <IconCheck size={12} /> : <IconAlertTriangle size={12} />}
        </ThemeIcon>
      </Group>
      <Text fw={600} size="md" lh={1.5}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {detail}
      </Text>
    </div>
  );
}

function Report({ q }: { q: QualityReportInfo }) {
  const normsOk = Math.abs(q.normMean - 1) < 0.01 && q.normStd < 0.01;
  const missing = q.missingVectors + q.missingFts + q.orphanVectors;
  return (
    <Group align="stretch" gap="md" wrap="nowrap">
      <Stack align="center" gap={2} justify="center" miw={128}>
        <RingProgress
          size={116}
          thickness={10}
          roundCaps
          sections={[{ value: Math.max(0, Math.min(100, q.score * 100)), color: scoreColor(q.score) }]}
          label={
            <Text ta="center" fw={700} size="xl" data-testid="quality-score">
              {q.score.toFixed(3)}
            </Text>
          }
        />
        <Tooltip label="1 − zero-vector rate − duplicate rate" withArrow>
          <Text size="xs" c="dimmed">
            Quality score
          </Text>
        </Tooltip>
      </Stack>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 5 }} spacing="xs" style={{ flex: 1 }}>
        <Metric
          testId="metric-dimensions"
          label="Dimensions"
          value={q.dimensionConsistent ? `${q.dimensions} · consistent` : `${q.wrongDimension.toLocaleString('en-US')} wrong`}
          detail={`${q.vectors.toLocaleString('en-US')} vectors for ${q.chunks.toLocaleString('en-US')} chunks`}
          ok={q.dimensionConsistent}
        />
        <Metric testId="metric-zero" label="Zero vectors" value={q.zeroVectors.toLocaleString('en-US')} detail={`${pct(q.zeroRate)} of vectors: chunks with nothing to embed`} ok={q.zeroVectors === 0} />
        <Metric testId="metric-norms" label="Norms" value={`${q.normMean.toFixed(3)} ± ${q.normStd.toFixed(3)}`} detail="Mean ± std of vector lengths (unit length is 1)" ok={normsOk} />
        <Metric testId="metric-duplicates" label="Duplicates" value={pct(q.duplicateRate)} detail={`${q.duplicates.toLocaleString('en-US')} vectors identical to another`} ok={q.duplicateRate < 0.05} />
        <Metric
          testId="metric-integrity"
          label="Integrity"
          value={missing === 0 ? 'Complete' : `${missing.toLocaleString('en-US')} gaps`}
          detail={`${q.orphanVectors} orphan vectors · ${q.missingVectors} chunks without vector · ${q.missingFts} without keyword row`}
          ok={missing === 0}
        />
      </SimpleGrid>
    </Group>
  );
}

/** Health of one version: the report stored at build time, or recomputed on demand. */
export function QualityCard({ versions, selected, onSelect }: { versions: IndexVersionInfo[]; selected: number | null; onSelect: (id: number) => void }) {
  const recompute = useVectorsStore((s) => s.recomputeQuality);
  const recomputed = useVectorsStore((s) => s.quality);
  const busy = useVectorsStore((s) => s.busy);
  const withReport = versions.filter((v) => v.quality || recomputed[v.id]);
  const version = versions.find((v) => v.id === selected) ?? versions.find((v) => v.active) ?? withReport[0];
  const q = version ? (recomputed[version.id] ?? version.quality) : null;

  const run = async (): Promise<void> => {
    if (!version) return;
    try {
      const r = await recompute(version.id);
      notifications.show({ color: 'teal', message: `Quality of v${version.id} recomputed: ${r.score.toFixed(3)}.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Quality not recomputed', message: errorMessage(e) });
    }
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="quality-card">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Text fw={600}>Quality</Text>
            <Text size="sm" c="dimmed">
              {q ? `Checked ${fmtAgo(q.computedAt)} — at the end of every build, or on demand.` : 'Checked at the end of every build.'}
            </Text>
          </div>
          <Group gap="xs" wrap="nowrap">
            {versions.length > 1 && (
              <Select
                aria-label="Version"
                size="xs"
                w={96}
                allowDeselect={false}
                data={versions.filter((v) => v.status === 'ready' || v.quality).map((v) => ({ value: String(v.id), label: `v${v.id}${v.active ? ' ●' : ''}` }))}
                value={version ? String(version.id) : null}
                onChange={(v) => v && onSelect(Number(v))}
              />
            )}
            {version && version.status === 'ready' && (
              <Tooltip label="Rescan every vector now">
                <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={busy[String(version.id)] === 'quality'} onClick={() => void run()}>
                  Recompute
                </Button>
              </Tooltip>
            )}
          </Group>
        </Group>
        {q ? (
          <Report q={q} />
        ) : (
          <Text size="sm" c="dimmed">
            {version ? `Version ${version.id} has no quality report yet; it is computed when its build finishes.` : 'No version to check yet.'}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
