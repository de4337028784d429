import { useCallback, useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Box, Button, Divider, Group, List, Loader, Stack, Text, ThemeIcon, Timeline, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCircleCheck, IconCircleMinus, IconCirclePlus, IconEyeCheck, IconInfoCircle, IconRefresh, IconTrash, IconX } from '@tabler/icons-react';
import { Link } from 'react-router';
import { isFinished, type JobInfo, type PersonaInfo } from '@shared/contract';
import { getEntity } from '@shared/entities';
import { ACTION_FROM, INSIGHT_ACTIONS, type Insight, type InsightAction } from '@shared/insights';
import { call, errorMessage } from '../../api/client';
import { useJobsStore } from '../../stores/jobsStore';
import { useProfileStore } from '../../stores/profileStore';
import { fmtDateTime, fmtMs, fmtTokens, fmtUsd } from '../configuration/shared/format';
import { DETECTOR_FIELD_LABEL, SEVERITY_COLOR, SEVERITY_LABEL, STATUS_COLOR, STATUS_LABEL, detectorFieldValue, domainLabel, fieldLabel, historyLabel, pct } from './format';
import { AnomalyChart } from './AnomalyChart';
import { FieldValue } from './FieldValue';
import { ACTION_COPY, NoteDialog } from './NoteDialog';
import classes from './insights.module.css';

/** Resolves when the job has finished, following the jobs store (progress events keep it fresh). */
function waitForJob(jobId: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const check = (s: ReturnType<typeof useJobsStore.getState>): boolean => {
      const job = s.jobs[jobId];
      if (job && isFinished(job.status)) {
        resolve(job);
        return true;
      }
      return false;
    };
    if (check(useJobsStore.getState())) return;
    const stop = useJobsStore.subscribe((s) => {
      if (check(s)) stop();
    });
  });
}

/** Where a record opens: the Data page with its drawer. */
export const recordPath = (entityType: string, entityId: number): string => `/data?entity=${encodeURIComponent(entityType)}&id=${entityId}`;

export function RecordLink({ entityType, entityId, label }: { entityType: string; entityId: number; label?: string | null }) {
  const known = getEntity(entityType);
  const text = label ?? `${known?.label.replace(/s$/, '') ?? entityType} #${entityId}`;
  return known ? (
    <Anchor component={Link} to={recordPath(entityType, entityId)} size="sm" data-testid="record-link">
      {text}
    </Anchor>
  ) : (
    <Text span size="sm">
      {text}
    </Text>
  );
}

const DETECTOR_HIDDEN = new Set(['metric', 'metricLabel', 'unit']);

const ACTION_ICON: Record<InsightAction, typeof IconEyeCheck> = { acknowledge: IconEyeCheck, action: IconCircleCheck, dismiss: IconX };

function Meta({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** The insight on the right of the browser: what was found, why, what to do, who answered at what cost. */
export function InsightDetail({
  workspace,
  id,
  version,
  personas,
  onChanged,
  onOpen,
  onDeleted,
}: {
  workspace: string;
  id: string;
  version: number;
  personas: PersonaInfo[];
  onChanged: (i: Insight) => void;
  /** A retry or "Analyze again" made a new insight: open it. */
  onOpen?: (id: string) => void;
  onDeleted?: (id: string) => void;
}) {
  const [state, setState] = useState<{ id: string; insight: Insight | null; error: string | null } | null>(null);
  const [rerun, setRerun] = useState<{ busy: boolean; error: string | null; note: string | null }>({ busy: false, error: null, note: null });
  const [action, setAction] = useState<InsightAction | null>(null);
  const profiles = useProfileStore((p) => p.profiles);
  useEffect(() => {
    if (profiles.length === 0) void useProfileStore.getState().load();
  }, [profiles.length]);
  /** Actors are profile ids; people read names. */
  const who = (actor: string | null): string | null => (actor ? (profiles.find((p) => p.id === actor)?.name ?? actor) : null);

  useEffect(() => {
    let live = true;
    call('insights.get', { workspace, id }).then(
      (insight) => live && setState({ id, insight, error: null }),
      (e: unknown) => live && setState({ id, insight: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [workspace, id, version]);

  const confirm = useCallback(
    async (a: InsightAction, note: string) => {
      const route = a === 'acknowledge' ? 'insights.acknowledge' : a === 'action' ? 'insights.action' : 'insights.dismiss';
      const updated = await call(route, { workspace, id, ...(note ? { note } : {}) });
      setState({ id, insight: updated, error: null });
      onChanged(updated);
      // A slip of the mouse is one click to take back: the undo goes through insights.undo and into the history.
      const toastId = `undo-${id}-${updated.status}`;
      const undo = async (): Promise<void> => {
        notifications.hide(toastId);
        try {
          const back = await call('insights.undo', { workspace, id, status: updated.status });
          setState((cur) => (cur && cur.id === id ? { id, insight: back, error: null } : cur));
          onChanged(back);
          notifications.show({ color: 'gray', message: `Undone: the insight is ${STATUS_LABEL[back.status].toLowerCase()} again.` });
        } catch (e) {
          notifications.show({ color: 'red', title: 'Could not undo', message: errorMessage(e) });
        }
      };
      notifications.show({
        id: toastId,
        color: ACTION_COPY[a].color,
        autoClose: 8000,
        message: (
          <Group justify="space-between" wrap="nowrap" gap="sm" data-testid="undo-toast">
            <Text size="sm">
              {STATUS_LABEL[updated.status]}: {updated.title || 'insight'}
            </Text>
            <Button size="compact-xs" variant="light" onClick={() => void undo()}>
              Undo
            </Button>
          </Group>
        ),
      });
    },
    [workspace, id, onChanged],
  );

  /** Retry (a failed analysis) or Analyze again (force, superseding this one): a job, then open what it made. */
  const runAgain = useCallback(
    async (kind: 'retry' | 'again', insight: Insight) => {
      setRerun({ busy: true, error: null, note: null });
      try {
        const { jobId } =
          kind === 'retry'
            ? await call('insights.retry', { workspace, id: insight.id })
            : await call('insights.analyze', { workspace, persona: insight.personaKey!, entityId: insight.entityId!, force: true });
        await useJobsStore.getState().track(jobId);
        const job = await waitForJob(jobId);
        const result = job.result as { insightId?: string } | null;
        if (job.status !== 'completed' || !result?.insightId) throw new Error(job.error?.message ?? `The analysis ${job.status === 'cancelled' ? 'was cancelled' : 'did not finish'}.`);
        setRerun({ busy: false, error: null, note: null });
        if (result.insightId !== insight.id) onOpen?.(result.insightId);
      } catch (e) {
        setRerun({ busy: false, error: errorMessage(e), note: null });
      }
    },
    [workspace, onOpen],
  );

  const remove = useCallback(
    async (insight: Insight) => {
      setRerun({ busy: true, error: null, note: null });
      try {
        await call('insights.delete', { workspace, id: insight.id });
        setRerun({ busy: false, error: null, note: null });
        notifications.show({ color: 'gray', message: `Deleted: ${insight.title || 'failed insight'}` });
        onDeleted?.(insight.id);
      } catch (e) {
        setRerun({ busy: false, error: errorMessage(e), note: null });
      }
    },
    [workspace, onDeleted],
  );

  const current = state && state.id === id ? state : null;
  if (!current) return <Loader m="lg" />;
  if (current.error || !current.insight) return <Alert color="red" m="md">{current.error ?? 'The insight could not be read.'}</Alert>;
  const i = current.insight;
  const persona = i.personaKey ? personas.find((p) => p.key === i.personaKey) : undefined;
  const fieldDescriptions = new Map(persona?.fields.map((f) => [f.name, f.description]) ?? []);
  // Persona fields in the order the persona declares them; detector fields minus what the title already says.
  const fieldNames = i.type === 'persona' && persona ? persona.fields.map((f) => f.name).filter((n) => n in i.fields) : Object.keys(i.fields).filter((n) => !DETECTOR_HIDDEN.has(n));
  const actions = (Object.keys(INSIGHT_ACTIONS) as InsightAction[]).filter((a) => ACTION_FROM[a].includes(i.status));

  return (
    <Stack gap="md" p="md" data-testid="insight-detail" data-status={i.status}>
      <Stack gap={6}>
        <Group gap={6}>
          {i.severity && (
            <Badge color={SEVERITY_COLOR[i.severity]} variant="filled" data-testid="detail-severity">
              {SEVERITY_LABEL[i.severity]}
            </Badge>
          )}
          <Badge color={STATUS_COLOR[i.status]} variant="light" data-testid="detail-status">
            {STATUS_LABEL[i.status]}
          </Badge>
          <Badge variant="outline" color="gray">
            {i.type === 'persona' ? (persona?.name ?? i.personaKey) : i.type === 'anomaly' ? 'Anomaly detector' : 'Trend detector'}
          </Badge>
          {/* A persona named after its domain (Customer Success) would show the same badge twice. */}
          {(i.type !== 'persona' || !persona || persona.name.toLowerCase() !== domainLabel(i.domain).toLowerCase()) && (
            <Badge variant="outline" color="gray">
              {domainLabel(i.domain)}
            </Badge>
          )}
        </Group>
        <Title order={4} style={{ wordBreak: 'break-word' }}>
          {i.title || (i.status === 'failed' ? 'Analysis failed' : 'Analysing…')}
        </Title>
        {i.entityType && i.entityId !== null && (
          <Group gap={4}>
            <Text size="sm" c="dimmed">
              About
            </Text>
            <RecordLink entityType={i.entityType} entityId={i.entityId} label={i.entityTitle} />
          </Group>
        )}
      </Stack>

      {actions.length > 0 && (
        <Group gap="xs">
          {actions.map((a) => {
            const Icon = ACTION_ICON[a];
            return (
              <Button key={a} size="xs" variant={a === 'dismiss' ? 'default' : 'light'} color={ACTION_COPY[a].color} leftSection={<Icon size={14} />} onClick={() => setAction(a)}>
                {ACTION_COPY[a].verb}
              </Button>
            );
          })}
        </Group>
      )}
      {i.statusChangedAt && ['acknowledged', 'actioned', 'dismissed', 'expired'].includes(i.status) && (
        <Alert variant="light" color={STATUS_COLOR[i.status]} icon={<IconArrowBackUp size={16} />} data-testid="status-note">
          <Text size="sm">
            {STATUS_LABEL[i.status]} {i.statusChangedBy ? `by ${who(i.statusChangedBy)} ` : ''}on {fmtDateTime(i.statusChangedAt)}
          </Text>
          {i.statusNote && (
            <Text size="sm" fs="italic" mt={4}>
              “{i.statusNote}”
            </Text>
          )}
        </Alert>
      )}

      {i.status === 'failed' && (
        <Alert color="red" title={`Failed${i.errorCode ? ` · ${i.errorCode}` : ''}`}>
          {i.errorMessage ?? 'The analysis did not complete.'}
        </Alert>
      )}
      {i.type === 'persona' && i.personaKey && i.entityId !== null && (
        <Group gap="xs" data-testid="rerun-actions">
          {i.status === 'failed' && (
            <Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} loading={rerun.busy} onClick={() => void runAgain('retry', i)} data-testid="insight-retry">
              Retry
            </Button>
          )}
          {(i.status === 'completed' || i.status === 'acknowledged') && (
            <Tooltip label="Ask the model again even if the record did not change; the new insight replaces this one." multiline w={260}>
              <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} />} loading={rerun.busy} onClick={() => void runAgain('again', i)} data-testid="insight-analyze-again">
                Analyze again
              </Button>
            </Tooltip>
          )}
          {(i.status === 'failed' || i.status === 'superseded') && (
            <Button size="xs" variant="default" color="red" leftSection={<IconTrash size={14} />} disabled={rerun.busy} onClick={() => void remove(i)} data-testid="insight-delete">
              Delete
            </Button>
          )}
        </Group>
      )}
      {rerun.error && (
        <Alert color="red" variant="light" data-testid="rerun-error">
          {rerun.error}
        </Alert>
      )}

      {i.summary && <Text size="sm">{i.summary}</Text>}

      <Group gap={6} data-testid="detail-model">
        {i.provider || i.model ? (
          <Tooltip label={`Endpoint ${i.endpoint ?? '—'} · ${i.attempts ?? 1} attempt(s)`}>
            <Badge variant="light" color="indigo" tt="none" data-testid="detail-provider">
              {[i.endpoint ?? i.provider, i.model].filter(Boolean).join(' · ')}
            </Badge>
          </Tooltip>
        ) : i.type !== 'persona' ? (
          <Badge variant="light" color="gray" tt="none">
            statistics, no model
          </Badge>
        ) : null}
        {i.fallbackUsed && (
          <Tooltip label="The primary endpoint failed; a fallback answered.">
            <Badge color="orange" variant="filled" data-testid="detail-fallback">
              Fallback
            </Badge>
          </Tooltip>
        )}
        <Badge variant="light" color="gray" tt="none" data-testid="detail-cost">
          {fmtUsd(i.costUsd)}
        </Badge>
        {i.confidence !== null && (
          <Badge variant="light" color="gray" tt="none">
            {pct(i.confidence)} confident
          </Badge>
        )}
      </Group>

      {i.dataPoints && i.dataPoints.length > 1 && (
        <AnomalyChart
          points={i.dataPoints}
          label={String(i.fields.metricLabel ?? 'Value')}
          unit={typeof i.fields.unit === 'string' ? i.fields.unit : undefined}
          color={i.severity ? `${SEVERITY_COLOR[i.severity]}.6` : 'indigo.6'}
        />
      )}

      {fieldNames.length > 0 && (
        <Box>
          <Text fw={600} size="sm" mb={6}>
            Findings
          </Text>
          <div className={classes.fieldGrid}>
            {fieldNames.map((name) => (
              <Stack key={name} gap={0} style={typeof i.fields[name] === 'object' && i.fields[name] !== null ? { gridColumn: '1 / -1' } : undefined}>
                <Group gap={4}>
                  <Text size="xs" c="dimmed">
                    {i.type === 'persona' ? fieldLabel(name) : (DETECTOR_FIELD_LABEL[name] ?? fieldLabel(name))}
                  </Text>
                  {fieldDescriptions.get(name) && (
                    <Tooltip label={fieldDescriptions.get(name)} multiline w={260}>
                      <IconInfoCircle size={12} style={{ opacity: 0.6 }} />
                    </Tooltip>
                  )}
                  {i.defaultedFields.includes(name) && (
                    <Tooltip label="The model left this out; it holds a default value.">
                      <Badge size="xs" color="yellow" variant="light">
                        default
                      </Badge>
                    </Tooltip>
                  )}
                </Group>
                {i.type === 'persona' ? (
                  <FieldValue value={i.fields[name]} testId={`field-${name}`} />
                ) : (
                  <Text size="sm" data-testid={`field-${name}`}>
                    {detectorFieldValue(name, i.fields[name], typeof i.fields.unit === 'string' ? i.fields.unit : undefined)}
                  </Text>
                )}
              </Stack>
            ))}
          </div>
        </Box>
      )}

      {i.factors.length > 0 && (
        <Box>
          <Text fw={600} size="sm" mb={6}>
            Factors
          </Text>
          <Stack gap={8}>
            {i.factors.map((f, n) => (
              <div key={n} className={classes.factor} data-testid="factor">
                <ThemeIcon size="sm" variant="light" color={f.direction === '+' ? 'teal' : 'red'} radius="xl" aria-label={f.direction === '+' ? 'Positive' : 'Negative'}>
                  {f.direction === '+' ? <IconCirclePlus size={14} /> : <IconCircleMinus size={14} />}
                </ThemeIcon>
                <Box style={{ minWidth: 0 }}>
                  <Text size="sm">{f.text}</Text>
                  {f.evidence.length > 0 && (
                    <Group gap={8} mt={2}>
                      {f.evidence.map((e) => (
                        <RecordLink key={`${e.entityType}#${e.entityId}`} entityType={e.entityType} entityId={e.entityId} />
                      ))}
                    </Group>
                  )}
                </Box>
              </div>
            ))}
          </Stack>
        </Box>
      )}

      {i.recommendations.length > 0 && (
        <Box>
          <Text fw={600} size="sm" mb={6}>
            Recommended actions
          </Text>
          <List spacing={6} size="sm" type="ordered">
            {i.recommendations.map((r, n) => (
              <List.Item key={n}>
                <Text size="sm" fw={500}>
                  {r.action}
                </Text>
                {r.rationale && (
                  <Text size="xs" c="dimmed">
                    {r.rationale}
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
        </Box>
      )}

      {i.evidenceDropped > 0 && (
        <Alert variant="light" color="yellow" title="Evidence dropped" data-testid="evidence-dropped">
          {i.evidenceDropped === 1 ? 'One reference' : `${i.evidenceDropped} references`} to records the model was not shown {i.evidenceDropped === 1 ? 'was' : 'were'} removed from the factors: the model cited
          something it could not have read.
        </Alert>
      )}

      {i.warnings.length > 0 && (
        <Alert variant="light" color="yellow" title="Read with care">
          <List size="sm">
            {i.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      <Divider />
      <div className={classes.fieldGrid}>
        {/* Detectors are statistics: no model, so no tokens or latency to report. */}
        {i.type === 'persona' ? (
          <>
            <Meta label="Tokens in / out" value={`${fmtTokens(i.tokensIn)} / ${fmtTokens(i.tokensOut)}`} />
            <Meta label="Latency" value={fmtMs(i.latencyMs)} />
          </>
        ) : (
          <Meta label="Method" value={i.type === 'anomaly' ? 'Robust z-score over the metric series' : 'Kendall trend test over the metric series'} />
        )}
        <Meta label="Trigger" value={`${i.trigger.replace('_', ' ')}${i.actor ? ` by ${who(i.actor)}` : ''}`} />
        <Meta label="Created" value={fmtDateTime(i.createdAt)} />
        <Meta label="Expires" value={fmtDateTime(i.expiresAt)} />
        {i.personaVersion && <Meta label="Persona / prompt version" value={`${i.personaVersion} / ${i.promptVersion ?? '—'}`} />}
        {i.contextChars !== null && <Meta label="Context sent" value={`${fmtTokens(i.contextChars)} characters`} />}
        {i.redactions && (
          <Meta
            label="PII redacted"
            value={
              Object.entries(i.redactions)
                .filter(([, n]) => n > 0)
                .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
                .join(', ') || 'none found'
            }
          />
        )}
      </div>

      {i.history.length > 0 && (
        <Box>
          <Text fw={600} size="sm" mb={8}>
            History
          </Text>
          <Timeline bulletSize={12} lineWidth={2} active={i.history.length - 1}>
            {i.history.map((h, n) => (
              <Timeline.Item key={n} title={<Text size="sm">{historyLabel(h.action, h.details)}</Text>}>
                <Text size="xs" c="dimmed">
                  {fmtDateTime(h.at)}
                  {h.actor ? ` · ${who(h.actor)}` : ''}
                </Text>
                {h.note && (
                  <Text size="xs" fs="italic">
                    “{h.note}”
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        </Box>
      )}

      <NoteDialog action={action} onClose={() => setAction(null)} onConfirm={confirm} />
    </Stack>
  );
}
