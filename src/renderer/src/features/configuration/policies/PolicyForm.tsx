import { useState, type ReactNode } from 'react';
import { Alert, Autocomplete, Badge, Button, CloseButton, Code, Divider, Group, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowRight, IconInfoCircle } from '@tabler/icons-react';
import type { EffectivePolicy, ProviderInfo } from '@shared/contract';
import type { ConfigIssue } from '../../../stores/policiesStore';
import { fmtMs } from '../shared/format';
import { FallbackEditor } from './FallbackEditor';
import type { UseCaseEntry } from './policyDoc';
import { applyEntry, inherited, parentsOf } from './resolve';

/** Ranges the core enforces (policyConfig.ts); checked here too so a wrong value is flagged as it is typed. */
export const RANGES = {
  temperature: { min: 0, max: 2, message: 'Use a temperature between 0 and 2.' },
  max_tokens: { min: 1, max: 1_000_000, integer: true, message: 'Use between 1 and 1,000,000 tokens.' },
  top_p: { min: 0, max: 1, exclusiveMin: true, message: 'Use a top_p above 0 and at most 1.' },
  timeout_ms: { min: 100, max: 3_600_000, integer: true, message: 'Use between 100 ms and one hour (3,600,000 ms).' },
  retries: { min: 0, max: 10, integer: true, message: 'Use between 0 and 10 retries.' },
  'backoff.base_ms': { min: 0, max: 60_000, integer: true, message: 'Use between 0 and 60,000 ms.' },
  'backoff.max_ms': { min: 0, max: 600_000, integer: true, message: 'Use between 0 and 600,000 ms.' },
  'cache.ttl_seconds': { min: 0, max: 30 * 86_400, integer: true, message: 'Use between 0 and 2,592,000 seconds (30 days).' },
  usd: { min: 0, max: Number.MAX_SAFE_INTEGER, message: 'Use 0 or more.' },
  tokens: { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, message: 'Use a whole number, 0 or more.' },
} as const;

type RangeKey = keyof typeof RANGES;

export function rangeError(key: RangeKey, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const r = RANGES[key] as { min: number; max: number; integer?: boolean; exclusiveMin?: boolean; message: string };
  if (r.integer && !Number.isInteger(value)) return r.message;
  if (r.exclusiveMin ? value <= r.min : value < r.min) return r.message;
  if (value > r.max) return r.message;
  return undefined;
}

/**
 * A number input that commits to the document only when its text is a number, so "0." can be typed on the way to
 * "0.5" without the document snapping it back. Empty means "not set here: inherit".
 */
function NumberField({
  label,
  value,
  placeholder,
  range,
  serverError,
  disabled,
  onCommit,
  description,
  step,
  suffix,
}: {
  label: string;
  value: number | undefined;
  placeholder: string;
  range: RangeKey;
  serverError?: string | undefined;
  disabled: boolean;
  onCommit: (v: number | undefined) => void;
  description?: ReactNode;
  step?: number;
  suffix?: string;
}) {
  const [text, setText] = useState<string | number>(value ?? '');
  const [prev, setPrev] = useState(value);
  if (prev !== value) {
    setPrev(value);
    if (!(typeof text === 'string' && text !== '' && Number(text) === value)) setText(value ?? '');
  }
  const local = typeof text === 'number' ? rangeError(range, text) : undefined;
  return (
    <NumberInput
      label={label}
      description={description}
      value={text}
      placeholder={placeholder}
      step={step}
      suffix={suffix}
      clampBehavior="none"
      thousandSeparator=","
      hideControls={!step}
      disabled={disabled}
      error={local ?? serverError}
      rightSection={
        value !== undefined && !disabled ? (
          <CloseButton
            size="sm"
            aria-label={`Clear ${label} (inherit)`}
            onClick={() => {
              setText('');
              onCommit(undefined);
            }}
          />
        ) : undefined
      }
      onChange={(v) => {
        setText(v);
        if (typeof v === 'number') onCommit(v);
        else if (v === '') onCommit(undefined);
      }}
    />
  );
}

function TriState({ label, value, inheritedValue, disabled, onChange, description }: { label: string; value: boolean | undefined; inheritedValue: boolean; disabled: boolean; onChange: (v: boolean | undefined) => void; description?: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {description && (
        <Text size="xs" c="dimmed" mt={-4}>
          {description}
        </Text>
      )}
      <SegmentedControl
        size="xs"
        aria-label={label}
        disabled={disabled}
        value={value === undefined ? 'inherit' : value ? 'on' : 'off'}
        onChange={(v) => onChange(v === 'inherit' ? undefined : v === 'on')}
        data={[
          { value: 'inherit', label: `Inherit (${inheritedValue ? 'on' : 'off'})` },
          { value: 'on', label: 'On' },
          { value: 'off', label: 'Off' },
        ]}
      />
    </Stack>
  );
}

function FormSection({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Stack gap="sm">
      <div>
        <Text fw={600} size="sm">
          {title}
        </Text>
        {description && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
      </div>
      {children}
    </Stack>
  );
}

/**
 * Issues of this use case by field path ('temperature', 'fallback.1', 'budget.daily.usd'), errors and warnings
 * apart (a warning, like a role nobody holds yet, must not look like something that blocks saving), plus the
 * issues about the entry as a whole.
 */
export function issuesFor(issues: readonly ConfigIssue[], useCase: string): { fields: Record<string, string>; warnings: Record<string, string>; entry: ConfigIssue[] } {
  const prefix = `use_cases.${useCase}`;
  const fields: Record<string, string> = {};
  const warnings: Record<string, string> = {};
  const entry: ConfigIssue[] = [];
  for (const i of issues) {
    if (i.path === prefix) entry.push(i);
    else if (i.path.startsWith(`${prefix}.`)) (i.severity === 'error' ? fields : warnings)[i.path.slice(prefix.length + 1)] ??= `${i.line ? `Line ${i.line}: ` : ''}${i.message}`;
  }
  return { fields, warnings, entry };
}

const shownNumber = (n: number | undefined | null, unit = ''): string => (n === undefined || n === null ? 'provider default' : `${n.toLocaleString('en-US')}${unit}`);

/** One use case's policy as a form. Every change is written into the YAML draft (keeping its comments). */
export function PolicyForm({
  useCase,
  label,
  entries,
  effective,
  endpoints,
  knownModels,
  issues,
  disabled,
  dirty,
  onSet,
  onAddEntry,
  onRemoveEntry,
}: {
  useCase: string;
  label: string | null;
  entries: Record<string, UseCaseEntry | null>;
  effective: EffectivePolicy | undefined;
  endpoints: ProviderInfo[];
  knownModels: string[];
  issues: readonly ConfigIssue[];
  disabled: boolean;
  dirty: boolean;
  onSet: (path: string[], value: unknown) => void;
  onAddEntry: () => void;
  onRemoveEntry: () => void;
}) {
  const hasEntry = Object.hasOwn(entries, useCase);
  const own: UseCaseEntry = entries[useCase] ?? {};
  const parents = parentsOf(entries, useCase);
  const base = inherited(entries, useCase);
  const resolved = applyEntry(base, own);
  const from = parents.length ? parents[parents.length - 1]! : 'built-in defaults';
  const { fields, warnings, entry: entryIssues } = issuesFor(issues, useCase);
  const inh = (v: string): string => `${v} (inherited)`;
  const isWildcard = useCase.includes('*');

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Group gap="xs">
            <Title order={4}>{label ?? useCase}</Title>
            {hasEntry ? (
              <Badge variant="light" size="sm">
                own settings
              </Badge>
            ) : (
              <Badge variant="default" size="sm">
                inherits everything
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            <Code>{useCase}</Code> · settings resolve from {['built-in defaults', ...parents, ...(hasEntry ? [useCase] : [])].join(' → ')}
          </Text>
        </div>
        {!disabled && useCase !== 'default' && (hasEntry ? (
          <Tooltip label="Remove this use case’s entry: it then inherits every setting">
            <Button size="xs" variant="default" onClick={onRemoveEntry}>
              Remove own settings
            </Button>
          </Tooltip>
        ) : (
          <Button size="xs" variant="light" onClick={onAddEntry}>
            Give it its own settings
          </Button>
        ))}
      </Group>

      {entryIssues.map((i, n) => (
        <Alert key={n} color={i.severity === 'error' ? 'red' : 'yellow'} variant="light" py={6}>
          {i.line ? `Line ${i.line}: ` : ''}
          {i.message}
        </Alert>
      ))}

      {effective && !isWildcard && (
        <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-default)">
          <Group gap={6} wrap="wrap">
            <Text size="sm" fw={500}>
              {dirty ? 'In force now (before saving):' : 'In force now:'}
            </Text>
            {effective.chain.length === 0 ? (
              <Text size="sm" c="orange">
                no endpoint can serve this use case — add a provider or fix the chain
              </Text>
            ) : (
              effective.chain.map((h, i) => (
                <Group key={`${h.endpoint}-${i}`} gap={6} wrap="nowrap">
                  {i > 0 && <IconArrowRight size={14} color="var(--mantine-color-dimmed)" />}
                  <Badge variant="light" color={h.breaker === 'closed' ? 'indigo' : 'red'} tt="none" radius="sm">
                    {h.endpoint}
                    {h.model ? ` · ${h.model}` : ''}
                  </Badge>
                </Group>
              ))
            )}
            <Text size="xs" c="dimmed">
              · max {effective.maxTokens.toLocaleString('en-US')} tokens · timeout {fmtMs(effective.timeoutMs)} · {effective.retries} retries
            </Text>
          </Group>
        </Paper>
      )}

      <FormSection title="Model and sampling" description="Empty fields inherit; the hint shows the inherited value.">
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Autocomplete
            label="Model"
            description="Leave empty to use each endpoint’s default model"
            placeholder={resolved.model && own.model === undefined ? inh(resolved.model) : 'each endpoint’s default'}
            data={knownModels}
            value={own.model ?? ''}
            onChange={(v) => onSet(['model'], v.trim() ? v.trim() : undefined)}
            error={fields.model}
            disabled={disabled}
          />
          <NumberField
            label="Temperature"
            range="temperature"
            value={own.temperature}
            placeholder={inh(shownNumber(base.temperature))}
            step={0.1}
            serverError={fields.temperature}
            disabled={disabled}
            onCommit={(v) => onSet(['temperature'], v)}
            description="0 = deterministic, up to 2"
          />
          <NumberField
            label="Max tokens"
            range="max_tokens"
            value={own.max_tokens}
            placeholder={inh(shownNumber(base.maxTokens))}
            serverError={fields.max_tokens}
            disabled={disabled}
            onCommit={(v) => onSet(['max_tokens'], v)}
            description="Output cap; also bounds what one call can cost"
          />
          <NumberField
            label="Top p"
            range="top_p"
            value={own.top_p}
            placeholder={inh(shownNumber(base.topP))}
            step={0.05}
            serverError={fields.top_p}
            disabled={disabled}
            onCommit={(v) => onSet(['top_p'], v)}
            description="Nucleus sampling, above 0 and at most 1"
          />
        </SimpleGrid>
      </FormSection>

      <Divider />
      <FormSection title="Fallback chain" description="Endpoints in the order they are tried. A role (@primary) follows whichever endpoint holds it.">
        <FallbackEditor
          own={own.fallback}
          inheritedChain={base.fallback}
          inheritedFrom={from}
          endpoints={endpoints}
          errors={Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith('fallback.')).map(([k, v]) => [k.slice('fallback.'.length), v]))}
          warnings={Object.fromEntries(Object.entries(warnings).filter(([k]) => k.startsWith('fallback.')).map(([k, v]) => [k.slice('fallback.'.length), v]))}
          disabled={disabled}
          onChange={(chain) => onSet(['fallback'], chain)}
        />
        {fields.fallback && (
          <Text size="xs" c="red">
            {fields.fallback}
          </Text>
        )}
      </FormSection>

      <Divider />
      <FormSection title="Reliability" description="Per attempt; retries back off exponentially with jitter and honour Retry-After.">
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <NumberField label="Timeout" suffix=" ms" range="timeout_ms" value={own.timeout_ms} placeholder={inh(`${base.timeoutMs.toLocaleString('en-US')} ms`)} serverError={fields.timeout_ms} disabled={disabled} onCommit={(v) => onSet(['timeout_ms'], v)} description="For streams: the longest silence between chunks" />
          <NumberField label="Retries" range="retries" value={own.retries} placeholder={inh(String(base.retries))} step={1} serverError={fields.retries} disabled={disabled} onCommit={(v) => onSet(['retries'], v)} description="Extra attempts per endpoint, 0–10" />
          <NumberField label="Backoff base" suffix=" ms" range="backoff.base_ms" value={own.backoff?.base_ms} placeholder={inh(`${base.backoff.baseMs} ms`)} serverError={fields['backoff.base_ms']} disabled={disabled} onCommit={(v) => onSet(['backoff', 'base_ms'], v)} />
          <NumberField label="Backoff max" suffix=" ms" range="backoff.max_ms" value={own.backoff?.max_ms} placeholder={inh(`${base.backoff.maxMs.toLocaleString('en-US')} ms`)} serverError={fields['backoff.max_ms']} disabled={disabled} onCommit={(v) => onSet(['backoff', 'max_ms'], v)} />
        </SimpleGrid>
      </FormSection>

      <Divider />
      <FormSection title="Streaming and cache">
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TriState label="Streaming" description="Off: streaming callers get the answer in one piece" value={own.stream} inheritedValue={base.stream} disabled={disabled} onChange={(v) => onSet(['stream'], v)} />
          <NumberField label="Cache TTL" suffix=" s" range="cache.ttl_seconds" value={own.cache?.ttl_seconds} placeholder={inh(`${base.cache.ttlSeconds} s`)} serverError={fields['cache.ttl_seconds']} disabled={disabled} onCommit={(v) => onSet(['cache', 'ttl_seconds'], v)} description="0 = no cache; identical requests are answered from the cache" />
          <TriState label="Cache sampled calls" description="Also cache calls with temperature above 0" value={own.cache?.sampled} inheritedValue={base.cache.sampled} disabled={disabled} onChange={(v) => onSet(['cache', 'sampled'], v)} />
          <TriState label="Cache streamed calls" value={own.cache?.streaming} inheritedValue={base.cache.streaming} disabled={disabled} onChange={(v) => onSet(['cache', 'streaming'], v)} />
        </SimpleGrid>
      </FormSection>

      <Divider />
      <FormSection title="Budget for this use case" description="Not inherited: applies only to this entry. Workspace-wide limits are under Budgets.">
        {isWildcard && (
          <Alert variant="light" icon={<IconInfoCircle size={16} />} py={6}>
            A budget on {useCase} applies to each use case it serves that has no entry of its own.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <NumberField label="Per request (USD)" range="usd" value={own.budget?.per_request?.usd} placeholder="no limit" step={0.01} serverError={fields['budget.per_request.usd']} disabled={disabled} onCommit={(v) => onSet(['budget', 'per_request', 'usd'], v)} />
          <NumberField label="Per request (tokens)" range="tokens" value={own.budget?.per_request?.tokens} placeholder="no limit" serverError={fields['budget.per_request.tokens']} disabled={disabled} onCommit={(v) => onSet(['budget', 'per_request', 'tokens'], v)} />
          <NumberField label="Per day (USD)" range="usd" value={own.budget?.daily?.usd} placeholder="no limit" step={0.5} serverError={fields['budget.daily.usd']} disabled={disabled} onCommit={(v) => onSet(['budget', 'daily', 'usd'], v)} />
          <NumberField label="Per day (tokens)" range="tokens" value={own.budget?.daily?.tokens} placeholder="no limit" serverError={fields['budget.daily.tokens']} disabled={disabled} onCommit={(v) => onSet(['budget', 'daily', 'tokens'], v)} />
        </SimpleGrid>
      </FormSection>
    </Stack>
  );
}
