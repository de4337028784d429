import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Button, Group, NumberInput, Paper, Progress, Select, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconRefresh, IconTrash } from '@tabler/icons-react';
import { KNOWN_USE_CASES, type BudgetState, type LimitValue } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { bindBudgetsEvents, limitErrors, toDraft, toPatch, useBudgetsStore, type BudgetPatch, type LimitDraft } from '../../../stores/budgetsStore';
import { selectIsAdmin, useSessionStore } from '../../../stores/sessionStore';
import { useWorkspaceStore } from '../../../stores/workspaceStore';
import { AdminNote } from '../shared/AdminNote';
import { fmtTokens, fmtUsd } from '../shared/format';
import { SectionHeader } from '../shared/Section';

type LimitState = BudgetState['workspaceDaily'];
type Drafts = Record<string, LimitDraft>;

const ucKey = (useCase: string, which: 'perRequest' | 'daily'): string => `uc:${useCase}:${which}`;

/** The limits as the server has them, keyed like the drafts. */
function originals(s: BudgetState, extra: string[]): Record<string, LimitValue | null> {
  const out: Record<string, LimitValue | null> = { perRequest: s.perRequest, perUserDaily: s.perUserDaily.limit, workspaceDaily: s.workspaceDaily.limit };
  for (const u of s.useCases) {
    out[ucKey(u.useCase, 'perRequest')] = u.perRequest;
    out[ucKey(u.useCase, 'daily')] = u.daily.limit;
  }
  for (const uc of extra) {
    out[ucKey(uc, 'perRequest')] ??= null;
    out[ucKey(uc, 'daily')] ??= null;
  }
  return out;
}

function draftsFrom(s: BudgetState): Drafts {
  return Object.fromEntries(Object.entries(originals(s, [])).map(([k, v]) => [k, toDraft(v)]));
}

const colorFor = (pct: number): string => (pct >= 90 ? 'red' : pct >= 70 ? 'yellow' : 'teal');

/** Today's spend against one limit, in USD and tokens, as bars. */
function Consumption({ state, label }: { state: LimitState; label: string }) {
  const { limit, spent, remaining } = state;
  const bars: { key: string; pct: number; text: string }[] = [];
  if (limit?.usd !== undefined) {
    const pct = limit.usd > 0 ? Math.min(100, (spent.usd / limit.usd) * 100) : spent.usd > 0 ? 100 : 0;
    bars.push({ key: 'usd', pct, text: `${fmtUsd(spent.usd)} of ${fmtUsd(limit.usd)} · ${fmtUsd(remaining.usd ?? 0)} left` });
  }
  if (limit?.tokens !== undefined) {
    const pct = limit.tokens > 0 ? Math.min(100, (spent.tokens / limit.tokens) * 100) : spent.tokens > 0 ? 100 : 0;
    bars.push({ key: 'tokens', pct, text: `${fmtTokens(spent.tokens)} of ${fmtTokens(limit.tokens)} tokens · ${fmtTokens(remaining.tokens ?? 0)} left` });
  }
  if (bars.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {fmtUsd(spent.usd)} · {fmtTokens(spent.tokens)} tokens today, no limit
      </Text>
    );
  }
  return (
    <Stack gap={6} miw={220}>
      {bars.map((b) => (
        <Stack key={b.key} gap={2}>
          <Progress value={b.pct} color={colorFor(b.pct)} size="md" radius="xl" aria-label={`${label} ${b.key === 'usd' ? 'spend' : 'tokens'} today`} />
          <Text size="xs" c={b.pct >= 100 ? 'red' : 'dimmed'}>
            {b.text}
          </Text>
        </Stack>
      ))}
    </Stack>
  );
}

function LimitInputs({ label, draft, disabled, onChange }: { label: string; draft: LimitDraft; disabled: boolean; onChange: (d: LimitDraft) => void }) {
  const errors = limitErrors(draft);
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <NumberInput
        aria-label={`${label} (USD)`}
        placeholder="no limit"
        prefix="$"
        value={draft.usd}
        onChange={(v) => onChange({ ...draft, usd: v })}
        decimalScale={4}
        min={0}
        step={0.5}
        clampBehavior="none"
        hideControls
        error={errors.usd}
        disabled={disabled}
        w={130}
      />
      <NumberInput
        aria-label={`${label} (tokens)`}
        placeholder="no limit"
        suffix=" tok"
        value={draft.tokens}
        onChange={(v) => onChange({ ...draft, tokens: v })}
        thousandSeparator=","
        min={0}
        clampBehavior="none"
        hideControls
        error={errors.tokens}
        disabled={disabled}
        w={150}
      />
    </Group>
  );
}


/** A limit's inputs with a short caption in front ("Per request", "Per day"). */
function CaptionedLimit({ caption, ...inputs }: { caption: string } & Parameters<typeof LimitInputs>[0]) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="xs" c="dimmed" w={70}>
        {caption}
      </Text>
      <LimitInputs {...inputs} />
    </Group>
  );
}

/** One workspace-wide limit: what it covers, its inputs, and today's state. */
function LimitRow({ title, description, caption, inputs, today }: { title: string; description: string; caption: string; inputs: Parameters<typeof LimitInputs>[0]; today: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {title}
        </Text>
        <Text size="xs" c="dimmed">
          {description}
        </Text>
      </Table.Td>
      <Table.Td>
        <CaptionedLimit caption={caption} {...inputs} />
      </Table.Td>
      <Table.Td>{today}</Table.Td>
    </Table.Tr>
  );
}
function fmtIn(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (!(ms > 0)) return 'now';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return h ? `in ${h} h ${m} min` : `in ${m} min`;
}

export function BudgetsPanel() {
  const workspace = useWorkspaceStore((s) => s.current);
  const isAdmin = useSessionStore(selectIsAdmin);
  const profileName = useSessionStore((s) => s.session?.profile.name);
  const { state, loading, error, saving, load, save } = useBudgetsStore();
  const [drafts, setDrafts] = useState<Drafts>({});
  const [added, setAdded] = useState<string[]>([]);
  const [base, setBase] = useState<BudgetState | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);

  useEffect(() => {
    if (workspace) void load(workspace);
  }, [workspace, load]);
  useEffect(() => bindBudgetsEvents(), []);

  const orig = state ? originals(state, added) : {};
  const dirtyKeys = state ? Object.keys(drafts).filter((k) => toPatch(drafts[k]!, orig[k]) !== undefined) : [];
  // A fresh state from the core replaces the drafts unless the admin is in the middle of editing.
  if (state && state !== base) {
    setBase(state);
    if (dirtyKeys.length === 0 || base === null) {
      setDrafts(draftsFrom(state));
      setAdded([]);
    }
  }

  if (!workspace) {
    return (
      <Alert variant="light" title="No workspace selected">
        Budgets are set per workspace. Create or pick one in the header first.
      </Alert>
    );
  }

  const draft = (key: string): LimitDraft => drafts[key] ?? { usd: '', tokens: '' };
  const setDraft = (key: string, d: LimitDraft): void => {
    setDrafts((x) => ({ ...x, [key]: d }));
    setServerError(null);
  };
  const invalid = Object.values(drafts).some((d) => Object.keys(limitErrors(d)).length > 0);
  const useCaseRows = state ? [...state.useCases.map((u) => u.useCase), ...added.filter((a) => !state.useCases.some((u) => u.useCase === a))] : [];
  const addable = KNOWN_USE_CASES.filter((u) => u.key !== 'default' && !useCaseRows.includes(u.key)).map((u) => ({ value: u.key, label: `${u.label} (${u.key})` }));

  const submit = async (): Promise<void> => {
    if (!state || invalid) return;
    const patch: BudgetPatch = {};
    const p = (k: string): LimitValue | null | undefined => toPatch(draft(k), orig[k]);
    if (p('perRequest') !== undefined) patch.perRequest = p('perRequest');
    if (p('perUserDaily') !== undefined) patch.perUserDaily = p('perUserDaily');
    if (p('workspaceDaily') !== undefined) patch.workspaceDaily = p('workspaceDaily');
    const useCases: NonNullable<BudgetPatch['useCases']> = {};
    for (const uc of useCaseRows) {
      const pr = p(ucKey(uc, 'perRequest'));
      const d = p(ucKey(uc, 'daily'));
      if (pr !== undefined || d !== undefined) useCases[uc] = { ...(pr !== undefined ? { perRequest: pr } : {}), ...(d !== undefined ? { daily: d } : {}) };
    }
    if (Object.keys(useCases).length) patch.useCases = useCases;
    try {
      const next = await save(patch);
      setBase(next);
      setDrafts(draftsFrom(next));
      setAdded([]);
      notifications.show({ color: 'teal', title: 'Budgets saved', message: 'The new limits apply from the next model call.' });
    } catch (e) {
      setServerError(errorMessage(e));
    }
  };

  const editable = isAdmin;
  const dirty = dirtyKeys.length > 0;

  return (
    <Stack gap="lg">
      <SectionHeader
        title="Budgets"
        description={`Spending limits for workspace “${workspace}”, in USD and tokens. Before each call its cost is estimated and reserved; a call that would pass a limit is refused with budget_exceeded, naming the limit.`}
        actions={
          <Tooltip label="Refresh today’s spend">
            <ActionIcon variant="default" size="lg" aria-label="Refresh budgets" loading={loading} onClick={() => void load(workspace)}>
              <IconRefresh size={16} />
            </ActionIcon>
          </Tooltip>
        }
      />
      {!isAdmin && <AdminNote what="budgets" />}
      {error && (
        <Alert color="red" variant="light" title="Could not load the budgets">
          {error}
        </Alert>
      )}
      {serverError && (
        <Alert color="red" variant="light" title="Not saved — the limits in force are unchanged">
          {serverError}
        </Alert>
      )}
      {!state ? (
        <Skeleton h={320} />
      ) : (
        <>
          <Paper withBorder radius="md">
            <Table verticalSpacing="md" horizontalSpacing="md" aria-label="Budget limits">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Limit</Table.Th>
                  <Table.Th>USD and tokens</Table.Th>
                  <Table.Th>
                    <Tooltip label={`Counters cover ${state.day} (UTC) and reset at 00:00 UTC`}>
                      <span>Today · resets {fmtIn(state.resetsAt)}</span>
                    </Tooltip>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <LimitRow
                  title="Per request"
                  description="The most one call may cost (estimated before it runs)"
                  caption="Per request"
                  inputs={{ label: 'Per request', draft: draft('perRequest'), disabled: !editable, onChange: (d) => setDraft('perRequest', d) }}
                  today={
                    <Text size="sm" c="dimmed">
                      Checked on every call
                    </Text>
                  }
                />
                <LimitRow
                  title="Per user per day"
                  description={`Each profile, in this workspace${profileName ? ` — today’s spend shown is ${profileName}’s` : ''}`}
                  caption="Per day"
                  inputs={{ label: 'Per user per day', draft: draft('perUserDaily'), disabled: !editable, onChange: (d) => setDraft('perUserDaily', d) }}
                  today={<Consumption state={state.perUserDaily} label="Per user per day" />}
                />
                <LimitRow
                  title="Per workspace per day"
                  description="Every call in this workspace"
                  caption="Per day"
                  inputs={{ label: 'Per workspace per day', draft: draft('workspaceDaily'), disabled: !editable, onChange: (d) => setDraft('workspaceDaily', d) }}
                  today={<Consumption state={state.workspaceDaily} label="Per workspace per day" />}
                />
                <Table.Tr>
                  <Table.Td colSpan={3} bg="var(--mantine-color-default)" py={8}>
                    <Group justify="space-between">
                      <div>
                        <Text size="sm" fw={600}>
                          Per use case
                        </Text>
                        <Text size="xs" c="dimmed">
                          Per request and per day for one use case; also editable in its policy
                        </Text>
                      </div>
                      {editable && addable.length > 0 && (
                        <Select
                          aria-label="Add a use case budget"
                          placeholder="Add a use case…"
                          leftSection={<IconPlus size={14} />}
                          data={addable}
                          value={null}
                          onChange={(v) => v && setAdded((a) => [...a, v])}
                          searchable
                          size="xs"
                          w={300}
                        />
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {useCaseRows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={3}>
                      <Text size="sm" c="dimmed">
                        No use case has its own budget, and none has spent anything today.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {useCaseRows.map((uc) => {
                  const live = state.useCases.find((u) => u.useCase === uc);
                  const label = KNOWN_USE_CASES.find((u) => u.key === uc)?.label ?? uc;
                  return (
                    <Table.Tr key={uc} data-testid="budget-use-case">
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <div>
                            <Text size="sm" fw={500}>
                              {label}
                            </Text>
                            <Text size="xs" c="dimmed" ff="monospace">
                              {uc}
                            </Text>
                          </div>
                          {editable && [draft(ucKey(uc, 'perRequest')), draft(ucKey(uc, 'daily'))].some((d) => d.usd !== '' || d.tokens !== '') && (
                            <Tooltip label="Remove this use case’s limits">
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                size="sm"
                                aria-label={`Remove the limits of ${uc}`}
                                onClick={() => {
                                  setDraft(ucKey(uc, 'perRequest'), { usd: '', tokens: '' });
                                  setDraft(ucKey(uc, 'daily'), { usd: '', tokens: '' });
                                }}
                              >
                                <IconTrash size={14} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={6}>
                          <CaptionedLimit caption="Per request" label={`${uc} per request`} draft={draft(ucKey(uc, 'perRequest'))} disabled={!editable} onChange={(d) => setDraft(ucKey(uc, 'perRequest'), d)} />
                          <CaptionedLimit caption="Per day" label={`${uc} per day`} draft={draft(ucKey(uc, 'daily'))} disabled={!editable} onChange={(d) => setDraft(ucKey(uc, 'daily'), d)} />
                        </Stack>
                      </Table.Td>
                      <Table.Td>{live ? <Consumption state={live.daily} label={`${uc} per day`} /> : <Text size="sm" c="dimmed">Nothing spent today</Text>}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Paper>
          {editable && (
            <Group justify="flex-end">
              <Text size="sm" c="dimmed">
                {dirty ? `${dirtyKeys.length} ${dirtyKeys.length === 1 ? 'limit' : 'limits'} changed` : 'Limits are written into the workspace’s policy document, keeping its comments.'}
              </Text>
              <Button
                variant="default"
                disabled={!dirty || saving}
                onClick={() => {
                  setDrafts(draftsFrom(state));
                  setAdded([]);
                  setServerError(null);
                }}
              >
                Discard
              </Button>
              <Button onClick={() => void submit()} disabled={!dirty || invalid} loading={saving}>
                Save limits
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
