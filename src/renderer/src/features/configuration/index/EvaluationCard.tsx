import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Progress, Stack, Table, Text, Tooltip, EmptyState } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { notifications } from '@mantine/notifications';
import { IconPlayerPlay, IconTargetArrow } from '@tabler/icons-react';
import type { EvaluationInfo } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { JobProgress } from '../../../components/JobProgress';
import { selectJob, useJobsStore } from '../../../stores/jobsStore';
import { useVectorsStore } from '../../../stores/vectorsStore';
import { fmtAgo, fmtDateTime, fmtMs } from '../shared/format';

const MODE_ORDER = { hybrid: 0, vector: 1, keyword: 2 } as const;
const KINDS = [
  { key: 'code', label: 'Codes', hint: 'Record codes such as TCK-000123 → that record' },
  { key: 'title', label: 'Titles', hint: 'Exact titles → the records with that title' },
  { key: 'paraphrase', label: 'Paraphrases', hint: 'Reworded first sentences → the record; where a semantic embedder should beat the lexical one' },
] as const;

/** The newest result for each version and mode. */
export function latestEvaluations(all: EvaluationInfo[]): EvaluationInfo[] {
  const seen = new Map<string, EvaluationInfo>();
  for (const e of all) {
    const key = `${e.versionId ?? e.embedderId}:${e.mode}`;
    const prev = seen.get(key);
    if (!prev || e.createdAt > prev.createdAt || (e.createdAt === prev.createdAt && e.id > prev.id)) seen.set(key, e);
  }
  return [...seen.values()].sort((a, b) => (b.versionId ?? 0) - (a.versionId ?? 0) || MODE_ORDER[a.mode] - MODE_ORDER[b.mode]);
}

const fmt = (n: number): string => n.toFixed(3);

function MetricCell({ value, testId }: { value: number; testId?: string }) {
  return (
    <Stack gap={3} align="flex-end">
      <Text size="sm" ff="monospace" fw={600} data-testid={testId} lh={1}>
        {fmt(value)}
      </Text>
      <Progress value={value * 100} w={52} size={4} color={value >= 0.8 ? 'teal' : value >= 0.5 ? 'yellow' : 'red'} aria-hidden />
    </Stack>
  );
}

/** recall@10 and nDCG@10 per version (embedder) and mode, on a query set derived from the workspace. */
export function EvaluationCard({ evaluations, hasReady }: { evaluations: EvaluationInfo[]; hasReady: boolean }) {
  const evaluate = useVectorsStore((s) => s.evaluate);
  const evalJobId = useVectorsStore((s) => s.evalJobId);
  const dismiss = useVectorsStore((s) => s.dismissJob);
  const job = useJobsStore(selectJob(evalJobId));
  const cancel = useJobsStore((s) => s.cancel);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = job ? job.status === 'queued' || job.status === 'running' : !!evalJobId;
  const latest = latestEvaluations(evaluations);
  const newest = latest.reduce<string | null>((m, e) => (!m || e.createdAt > m ? e.createdAt : m), null);
  const chart = latest.map((e) => ({ run: `v${e.versionId ?? '?'} ${e.mode}`, recall: Number(e.recallAtK.toFixed(3)), ndcg: Number(e.ndcgAtK.toFixed(3)) }));

  const start = async (): Promise<void> => {
    setStarting(true);
    setError(null);
    try {
      await evaluate();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="evaluation-card">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Text fw={600}>Retrieval evaluation</Text>
            <Text size="sm" c="dimmed" maw={720}>
              How often the right record is in the top 10 (recall@10) and how high it ranks (nDCG@10), for every ready version and mode, on queries derived from this workspace: record codes, exact titles and reworded sentences.
              {newest ? ` Last run ${fmtAgo(newest)}.` : ''}
            </Text>
          </div>
          <Button variant="light" leftSection={<IconPlayerPlay size={16} />} onClick={() => void start()} loading={starting} disabled={running || !hasReady} style={{ flexShrink: 0 }}>
            Run evaluation
          </Button>
        </Group>
        {error && (
          <Alert color="red" variant="light" title="The evaluation did not start">
            {error}
          </Alert>
        )}
        {job && (
          <Stack gap={4}>
            <JobProgress job={job} label="Evaluation" unit="runs" onCancel={() => void cancel(job.jobId).catch((e: unknown) => notifications.show({ color: 'red', title: 'Not cancelled', message: errorMessage(e) }))} />
            {!running && (
              <Group justify="flex-end">
                <Button size="compact-xs" variant="subtle" color="gray" onClick={() => dismiss('eval')}>
                  Dismiss
                </Button>
              </Group>
            )}
          </Stack>
        )}
        {latest.length === 0 ? (
          <EmptyState
            icon={<IconTargetArrow size={24} />}
            variant="light"
            size="sm"
            title="No evaluation yet"
            description={hasReady ? 'Run one to measure how well each index version finds the right records; compare embedders before switching.' : 'Build an index first; then measure how well it finds the right records.'}
          />
        ) : (
          <>
            {chart.length > 1 && (
              <BarChart
                h={200}
                data={chart}
                dataKey="run"
                series={[
                  { name: 'recall', label: 'Recall@10', color: 'indigo.6' },
                  { name: 'ndcg', label: 'nDCG@10', color: 'teal.6' },
                ]}
                yAxisProps={{ domain: [0, 1] }}
                withLegend
                legendProps={{ verticalAlign: 'top', height: 30 }}
                maxBarWidth={26}
                gridAxis="y"
                valueFormatter={(v) => v.toFixed(3)}
              />
            )}
            <Table.ScrollContainer minWidth={600} type="native">
              <Table verticalSpacing={6} aria-label="Evaluation results">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Version</Table.Th>
                    <Table.Th>Mode</Table.Th>
                    <Table.Th ta="right">Recall@10</Table.Th>
                    <Table.Th ta="right">nDCG@10</Table.Th>
                    {KINDS.map((k) => (
                      <Table.Th key={k.key} ta="right">
                        <Tooltip label={`${k.hint} (recall@10)`} multiline w={260}>
                          <span>{k.label}</span>
                        </Tooltip>
                      </Table.Th>
                    ))}
                    <Table.Th>Run</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {latest.map((e) => (
                    <Table.Tr key={e.id} data-testid="evaluation-row">
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {e.versionId === null ? 'deleted version' : `v${e.versionId}`}
                        </Text>
                        <Text size="xs" c="dimmed" lineClamp={1} title={e.embedderLabel} maw={200}>
                          {e.embedderLabel.replace(/\s*\(.*\)$/, '')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color="gray" size="sm">
                          {e.mode}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <MetricCell value={e.recallAtK} testId="eval-recall" />
                      </Table.Td>
                      <Table.Td>
                        <MetricCell value={e.ndcgAtK} testId="eval-ndcg" />
                      </Table.Td>
                      {KINDS.map((k) => {
                        const m = e.byKind[k.key];
                        return (
                          <Table.Td key={k.key} ta="right">
                            {m ? (
                              <Tooltip label={`${m.n} queries · nDCG@10 ${fmt(m.ndcg)}`}>
                                <Text size="sm" ff="monospace">
                                  {fmt(m.recall)}
                                </Text>
                              </Tooltip>
                            ) : (
                              <Text size="sm" c="dimmed">
                                —
                              </Text>
                            )}
                          </Table.Td>
                        );
                      })}
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Tooltip label={`${fmtDateTime(e.createdAt)} · query set ${e.querySet} · ${fmtMs(e.ms)}`}>
                          <Text size="xs" c="dimmed">
                            {fmtAgo(e.createdAt)}
                            <br />
                            {e.queries.toLocaleString('en-US')} queries
                          </Text>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </Paper>
  );
}
