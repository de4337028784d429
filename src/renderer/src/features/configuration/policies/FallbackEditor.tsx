import { ActionIcon, Autocomplete, Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { IconArrowDown, IconArrowRight, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import type { ProviderInfo } from '@shared/contract';
import { fromChainEntries, toChainEntry, type ChainEntry } from './policyDoc';

const ROLE_REFS = ['@primary', '@secondary', '@tertiary'] as const;

const describe = (raw: string | ChainEntry): string => {
  const e = toChainEntry(raw);
  return e.model ? `${e.endpoint} (${e.model})` : e.endpoint;
};

/**
 * The fallback chain of one use case: endpoints in the order they are tried, each by name or by role, optionally
 * with its own model. Without an own chain the use case inherits one; that is shown read-only with a way to override.
 */
export function FallbackEditor({
  own,
  inheritedChain,
  inheritedFrom,
  endpoints,
  errors,
  warnings = {},
  disabled,
  onChange,
}: {
  own: (string | ChainEntry)[] | undefined;
  inheritedChain: (string | ChainEntry)[];
  inheritedFrom: string;
  endpoints: ProviderInfo[];
  /** Problems per row index ('0', '1.model'). */
  errors: Record<string, string>;
  /** Advice per row index, e.g. a role nobody holds yet (the entry is skipped until someone does). */
  warnings?: Record<string, string>;
  disabled: boolean;
  onChange: (chain: (string | ChainEntry)[] | undefined) => void;
}) {
  if (!own) {
    return (
      <Stack gap={6}>
        <Group gap={6} aria-label="Inherited fallback chain">
          {inheritedChain.length === 0 ? (
            <Text size="sm" c="dimmed">
              No endpoints
            </Text>
          ) : (
            inheritedChain.map((e, i) => (
              <Group key={i} gap={6} wrap="nowrap">
                {i > 0 && <IconArrowRight size={14} color="var(--mantine-color-dimmed)" />}
                <Badge variant="default" tt="none" radius="sm">
                  {describe(e)}
                </Badge>
              </Group>
            ))
          )}
          <Text size="xs" c="dimmed">
            inherited from {inheritedFrom}
          </Text>
        </Group>
        {!disabled && (
          <Button size="compact-sm" variant="subtle" w="fit-content" onClick={() => onChange(inheritedChain.length ? inheritedChain : ['@primary'])}>
            Set a chain for this use case
          </Button>
        )}
      </Stack>
    );
  }

  const rows = own.map(toChainEntry);
  // Removing the last entry means "inherit" again: an empty chain could never answer.
  const write = (next: ChainEntry[]): void => {
    const out = fromChainEntries(next);
    onChange(out.length ? out : undefined);
  };
  const names = endpoints.map((e) => e.name);
  const options = (current: string) => [
    { group: 'By role', items: ROLE_REFS.map((r) => ({ value: r, label: `${r} (${endpoints.find((e) => `@${e.role}` === r)?.name ?? 'nobody yet'})` })) },
    { group: 'Endpoints', items: [...names, ...(current && !names.includes(current) && !ROLE_REFS.includes(current as (typeof ROLE_REFS)[number]) ? [current] : [])].map((n) => ({ value: n, label: n })) },
  ];
  const modelsOf = (ref: string): string[] => {
    const ep = ref.startsWith('@') ? endpoints.find((e) => `@${e.role}` === ref) : endpoints.find((e) => e.name === ref);
    return ep ? [...new Set([ep.model, ...ep.models].filter((m): m is string => !!m))] : [];
  };

  return (
    <Stack gap={6}>
      {rows.map((row, i) => (
        <Stack key={i} gap={2}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" c="dimmed" w={18} ta="right" pt={7}>
              {i + 1}.
            </Text>
            <Select
              aria-label={`Fallback ${i + 1} endpoint`}
              data={options(row.endpoint)}
              value={row.endpoint || null}
              onChange={(v) => write(rows.map((r, j) => (j === i ? { endpoint: v ?? '', ...(r.model ? { model: r.model } : {}) } : r)))}
              error={errors[String(i)] ?? errors[`${i}.endpoint`]}
              disabled={disabled}
              allowDeselect={false}
              style={{ flex: 1 }}
            />
            <Autocomplete
              aria-label={`Fallback ${i + 1} model`}
              placeholder="its default model"
              data={modelsOf(row.endpoint)}
              value={row.model ?? ''}
              onChange={(v) => write(rows.map((r, j) => (j === i ? { endpoint: r.endpoint, ...(v ? { model: v } : {}) } : r)))}
              error={errors[`${i}.model`]}
              disabled={disabled}
              style={{ flex: 1 }}
            />
            {!disabled && (
              <Group gap={2} wrap="nowrap" pt={4}>
                <ActionIcon variant="subtle" color="gray" aria-label={`Move fallback ${i + 1} up`} disabled={i === 0} onClick={() => write(rows.map((r, j) => (j === i - 1 ? rows[i]! : j === i ? rows[i - 1]! : r)))}>
                  <IconArrowUp size={15} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Move fallback ${i + 1} down`}
                  disabled={i === rows.length - 1}
                  onClick={() => write(rows.map((r, j) => (j === i + 1 ? rows[i]! : j === i ? rows[i + 1]! : r)))}
                >
                  <IconArrowDown size={15} />
                </ActionIcon>
                <ActionIcon variant="subtle" color="red" aria-label={`Remove fallback ${i + 1}`} onClick={() => write(rows.filter((_, j) => j !== i))}>
                  <IconTrash size={15} />
                </ActionIcon>
              </Group>
            )}
          </Group>
          {(warnings[String(i)] ?? warnings[`${i}.endpoint`]) && !(errors[String(i)] ?? errors[`${i}.endpoint`]) && (
            <Text size="xs" c="orange.7" pl={26} data-testid="fallback-warning">
              {warnings[String(i)] ?? warnings[`${i}.endpoint`]}
            </Text>
          )}
        </Stack>
      ))}
      {!disabled && (
        <Group gap="xs">
          <Button size="compact-sm" variant="subtle" leftSection={<IconPlus size={14} />} disabled={rows.length >= 10} onClick={() => write([...rows, { endpoint: names.find((n) => !rows.some((r) => r.endpoint === n)) ?? '@secondary' }])}>
            Add endpoint
          </Button>
          <Button size="compact-sm" variant="subtle" color="gray" onClick={() => onChange(undefined)}>
            Inherit from {inheritedFrom} instead
          </Button>
        </Group>
      )}
    </Stack>
  );
}
