import { useEffect, useState } from 'react';
import { Alert, Autocomplete, Badge, Button, EmptyState, Grid, Group, Kbd, Loader, NumberInput, Paper, Select, SimpleGrid, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { IconArrowRight, IconPlayerStop, IconPlugConnected, IconSend, IconTrash } from '@tabler/icons-react';
import { useShallow } from 'zustand/react/shallow';
import { Link } from 'react-router';
import { KNOWN_USE_CASES } from '@shared/contract';
import { ERROR_HINTS } from '@shared/errors';
import { usePlaygroundStore, selectRunning } from '../../../stores/playgroundStore';
import { usePoliciesStore } from '../../../stores/policiesStore';
import { selectKnownModels, useProvidersStore } from '../../../stores/providersStore';
import { useWorkspaceStore } from '../../../stores/workspaceStore';
import { fmtMs, fmtTokens, fmtUsd } from '../shared/format';
import { SectionHeader } from '../shared/Section';
import classes from './playground.module.css';

const CHAT_USE_CASES = KNOWN_USE_CASES.filter((u) => u.operation === 'chat');

function Metric({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(t);
  }, []);
  return <>{fmtMs(Math.max(0, now - since))}</>;
}

function AnswerPanel() {
  const { status, text, answer, error, startedAt, firstDeltaAt } = usePlaygroundStore();
  const running = status === 'starting' || status === 'streaming';
  const statusBadge = {
    idle: null,
    starting: <Badge variant="light">Sending…</Badge>,
    streaming: <Badge variant="light" leftSection={<Loader size={10} />}>Streaming</Badge>,
    done: <Badge color="teal" variant="light">Done</Badge>,
    error: <Badge color="red" variant="light">Failed</Badge>,
    cancelled: <Badge color="gray" variant="light">Cancelled</Badge>,
  }[status];
  return (
    <Paper withBorder radius="md" p="lg" h="100%">
      <Stack gap="md" h="100%">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600}>Answer</Text>
            {statusBadge}
          </Group>
          {running && startedAt && (
            <Text size="sm" c="dimmed">
              <Elapsed since={startedAt} />
            </Text>
          )}
        </Group>
        {status === 'idle' ? (
          <Text size="sm" c="dimmed" py="xl" ta="center">
            Send a prompt to see the answer stream in, with the endpoint and model that answered, tokens, cost and latency.
          </Text>
        ) : (
          <div className={classes.output} aria-live="polite" aria-label="Streamed answer" data-testid="playground-output" data-status={status}>
            {text}
            {running && <span className={classes.caret} aria-hidden />}
            {!text && !running && status !== 'done' && (
              <Text span c="dimmed" size="sm">
                (no text)
              </Text>
            )}
          </div>
        )}
        {error && (
          <Alert color={error.code === 'cancelled' ? 'gray' : 'red'} variant="light" title={error.code === 'cancelled' ? 'Stopped' : error.code === 'budget_exceeded' ? 'Over budget' : 'The call failed'}>
            <Text size="sm">{error.message}</Text>
            {error.code !== 'cancelled' && (
              <Text size="xs" c="dimmed" mt={4}>
                {ERROR_HINTS[error.code]}
              </Text>
            )}
          </Alert>
        )}
        {answer && (
          <Paper radius="md" p="md" bg="var(--mantine-color-default)" data-testid="playground-meta" aria-label="How it was answered">
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="sm">
              <Metric label="Endpoint" value={answer.endpoint} testId="meta-endpoint" />
              <Metric label="Model" value={`${answer.model}`} testId="meta-model" />
              <Metric
                label="Fallback"
                testId="meta-fallback"
                value={
                  answer.fallbackUsed ? (
                    <Badge color="orange" variant="light">
                      yes
                    </Badge>
                  ) : (
                    'no'
                  )
                }
              />
              <Metric label="Provider" value={answer.provider} />
              <Metric label="Tokens in / out" value={`${fmtTokens(answer.tokensIn)} / ${fmtTokens(answer.tokensOut)}`} testId="meta-tokens" />
              <Metric label="Cost" value={fmtUsd(answer.costUsd)} testId="meta-cost" />
              <Metric label="Latency" value={fmtMs(answer.latencyMs)} testId="meta-latency" />
              <Metric
                label="Time to first text"
                value={firstDeltaAt && startedAt ? fmtMs(firstDeltaAt - startedAt) : '—'}
              />
              <Metric label="Attempts" value={answer.attempts} />
              <Metric label="Cache" value={answer.cached ? 'answered from cache' : 'not cached'} />
            </SimpleGrid>
          </Paper>
        )}
      </Stack>
    </Paper>
  );
}

/** Send one prompt through a use case's policy and watch it stream, with where and at what cost it was answered. */
export function PlaygroundPanel() {
  const workspace = useWorkspaceStore((s) => s.current);
  const providers = useProvidersStore((s) => s.providers);
  const providersLoaded = useProvidersStore((s) => s.loaded);
  const loadProviders = useProvidersStore((s) => s.load);
  const knownModels = useProvidersStore(useShallow(selectKnownModels));
  const policies = usePoliciesStore((s) => (s.workspace === workspace ? s.saved : null));
  const loadPolicies = usePoliciesStore((s) => s.load);
  const { send, cancel, clear, status } = usePlaygroundStore();
  const running = usePlaygroundStore(selectRunning);
  const [useCase, setUseCase] = useState('copilot.chat');
  const [model, setModel] = useState('');
  const [temperature, setTemperature] = useState<number | string>('');
  const [maxTokens, setMaxTokens] = useState<number | string>('');
  const [system, setSystem] = useState('');
  const [prompt, setPrompt] = useState('');
  const [promptError, setPromptError] = useState<string | null>(null);

  useEffect(() => {
    void loadProviders();
  }, [loadProviders]);
  useEffect(() => {
    if (workspace) void loadPolicies(workspace);
  }, [workspace, loadPolicies]);

  if (!workspace) {
    return (
      <Alert variant="light" title="No workspace selected">
        The playground runs through a workspace’s policies and budgets. Create or pick a workspace in the header first.
      </Alert>
    );
  }

  const effective = policies?.policies.find((p) => p.useCase === useCase);
  const useCases = [
    ...CHAT_USE_CASES.map((u) => ({ value: u.key, label: u.label })),
    ...(policies?.policies.filter((p) => !CHAT_USE_CASES.some((u) => u.key === p.useCase) && !['embeddings', 'voice.transcribe'].includes(p.useCase)).map((p) => ({ value: p.useCase, label: p.useCase })) ?? []),
  ];
  const tempError = typeof temperature === 'number' && (temperature < 0 || temperature > 2) ? 'Between 0 and 2' : null;
  const maxError = typeof maxTokens === 'number' && (maxTokens < 1 || !Number.isInteger(maxTokens)) ? 'A whole number, 1 or more' : null;

  const submit = (): void => {
    if (!prompt.trim()) {
      setPromptError('Write a prompt.');
      return;
    }
    if (tempError || maxError) return;
    setPromptError(null);
    void send({
      workspace,
      useCase,
      prompt,
      system,
      model,
      ...(typeof temperature === 'number' ? { temperature } : {}),
      ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
    });
  };

  const noProviders = providersLoaded && providers.length === 0;

  return (
    <Stack gap="lg">
      <SectionHeader
        title="Playground"
        description={`Send a prompt through a use case’s policy in workspace “${workspace}”, exactly as the app would: same chain, fallbacks, budget and usage record.`}
      />
      {noProviders ? (
        <Paper withBorder radius="md" py={48}>
          <EmptyState icon={<IconPlugConnected size={28} />} variant="light" title="No providers yet — add one to start" description="The playground sends prompts through your providers. Add one (a hosted API, an OpenAI-compatible server or a local model) and come back.">
            <EmptyState.Actions>
              <Button component={Link} to="/configuration?tab=providers">
                Go to Providers
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Paper withBorder radius="md" p="lg">
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  submit();
                }}
              >
                <Stack gap="md">
                  <Select label="Use case" description="Its policy picks the model, chain, limits and budget" data={useCases} value={useCase} onChange={(v) => v && setUseCase(v)} allowDeselect={false} searchable disabled={running} />
                  {effective && (
                    <Group gap={6} aria-label="Fallback chain">
                      <Text size="xs" c="dimmed">
                        Tries:
                      </Text>
                      {effective.chain.length === 0 ? (
                        <Text size="xs" c="orange">
                          no endpoint can serve this use case
                        </Text>
                      ) : (
                        effective.chain.map((h, i) => (
                          <Group key={`${h.endpoint}-${i}`} gap={4} wrap="nowrap">
                            {i > 0 && <IconArrowRight size={12} color="var(--mantine-color-dimmed)" />}
                            <Badge size="sm" variant="light" color={h.breaker === 'closed' ? 'indigo' : 'red'} tt="none" radius="sm">
                              {h.endpoint}
                              {model.trim() ? ` · ${model.trim()}` : h.model ? ` · ${h.model}` : ''}
                            </Badge>
                          </Group>
                        ))
                      )}
                    </Group>
                  )}
                  <Autocomplete label="Model override" description="Optional: ask every endpoint of the chain for this model" placeholder="the policy’s model" data={knownModels} value={model} onChange={setModel} disabled={running} />
                  <SimpleGrid cols={2}>
                    <NumberInput label="Temperature" placeholder={effective?.temperature !== null && effective?.temperature !== undefined ? `policy: ${effective.temperature}` : 'policy default'} value={temperature} onChange={setTemperature} min={0} max={2} step={0.1} decimalScale={2} clampBehavior="none" error={tempError} disabled={running} />
                    <NumberInput label="Max tokens" placeholder={effective ? `policy: ${effective.maxTokens.toLocaleString('en-US')}` : ''} value={maxTokens} onChange={setMaxTokens} min={1} allowDecimal={false} thousandSeparator="," clampBehavior="none" error={maxError} disabled={running} />
                  </SimpleGrid>
                  <Textarea label="System instructions" placeholder="Optional, e.g. “Answer in three bullet points.”" autosize minRows={2} maxRows={6} value={system} onChange={(e) => setSystem(e.currentTarget.value)} disabled={running} />
                  <Textarea
                    label="Prompt"
                    withAsterisk
                    placeholder="Which accounts renew next month, and which of them have open escalations?"
                    autosize
                    minRows={5}
                    maxRows={14}
                    value={prompt}
                    onChange={(e) => {
                      setPrompt(e.currentTarget.value);
                      if (promptError) setPromptError(null);
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                        e.preventDefault();
                        submit();
                      }
                    }}
                    error={promptError}
                    disabled={running}
                  />
                  <Group justify="space-between">
                    <Text size="xs" c="dimmed">
                      <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Enter</Kbd> sends
                    </Text>
                    <Group gap="xs">
                      {status !== 'idle' && !running && (
                        <Tooltip label="Clear the answer">
                          <Button variant="subtle" color="gray" onClick={clear} leftSection={<IconTrash size={15} />}>
                            Clear
                          </Button>
                        </Tooltip>
                      )}
                      {running ? (
                        <Button color="red" variant="light" leftSection={<IconPlayerStop size={16} />} onClick={() => void cancel()}>
                          Stop
                        </Button>
                      ) : (
                        <Button type="submit" leftSection={<IconSend size={16} />}>
                          Send
                        </Button>
                      )}
                    </Group>
                  </Group>
                </Stack>
              </form>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <AnswerPanel />
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
