import { useEffect, useState } from 'react';
import { Combobox, Group, InputBase, Loader, Text, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { RecordMatch } from '@shared/contract';
import { getEntity } from '@shared/entities';
import { call, errorMessage } from '../api/client';

const NONE: RecordMatch[] = [];

/**
 * Type-ahead over one entity's records by the code, name or id people know (data.lookup): "TCK-000575", "575",
 * "Acme". The text stays as typed, so a code can be pasted and used without picking from the list.
 */
export function RecordPicker({
  workspace,
  entity,
  value,
  onChange,
  text,
  onTextChange,
  label,
  description,
  error,
  disabled,
  autoFocus,
}: {
  workspace: string;
  entity: string;
  value: RecordMatch | null;
  onChange: (m: RecordMatch | null) => void;
  text: string;
  onTextChange: (t: string) => void;
  label?: string;
  description?: React.ReactNode;
  error?: React.ReactNode;
  disabled?: boolean;
  autoFocus?: boolean;
}) {
  const spec = getEntity(entity);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [debounced] = useDebouncedValue(text.trim(), 200);
  const [result, setResult] = useState<{ key: string; matches: RecordMatch[] | null; error: string | null } | null>(null);
  const key = `${workspace}|${entity}|${debounced}`;

  useEffect(() => {
    let live = true;
    call('data.lookup', { workspace, entity, query: debounced, limit: 12 }).then(
      (r) => live && setResult({ key, matches: r.matches, error: null }),
      (e: unknown) => live && setResult({ key, matches: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [workspace, entity, debounced, key]);

  const current = result?.key === key ? result : null;
  const matches = current?.matches ?? NONE;
  // The best match is ready to pick with Enter.
  useEffect(() => {
    if (matches.length) combobox.selectFirstOption();
  }, [matches, combobox]);

  const pick = (id: string): void => {
    const m = matches.find((x) => String(x.id) === id) ?? null;
    onChange(m);
    if (m) onTextChange(m.code ?? m.title);
    combobox.closeDropdown();
  };
  const one = spec?.singular.toLowerCase() ?? 'record';

  return (
    <Combobox store={combobox} onOptionSubmit={pick} withinPortal>
      <Combobox.Target>
        <InputBase
          label={label ?? spec?.singular}
          placeholder={spec?.codeColumn ? 'Code, name or id' : 'Name or id'}
          value={text}
          onChange={(e) => {
            onTextChange(e.currentTarget.value);
            if (value) onChange(null);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          rightSection={debounced !== text.trim() || !current ? <Loader size={14} /> : <Combobox.Chevron />}
          rightSectionPointerEvents="none"
          description={description}
          error={error ?? current?.error}
          disabled={disabled}
          data-autofocus={autoFocus || undefined}
          aria-label={label ?? spec?.singular ?? 'Record'}
          data-testid="record-picker"
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options mah={280} style={{ overflowY: 'auto' }}>
          {matches.map((m) => (
            <Combobox.Option key={m.id} value={String(m.id)} data-testid="record-option">
              <Group gap={6} wrap="nowrap" justify="space-between">
                <Text size="sm" fw={500} truncate="end">
                  {m.title}
                </Text>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  #{m.id}
                </Text>
              </Group>
              {m.subtitle && (
                <Text size="xs" c="dimmed" truncate="end">
                  {m.subtitle}
                </Text>
              )}
            </Combobox.Option>
          ))}
          {current && matches.length === 0 && <Combobox.Empty>{debounced ? `No ${one} matches “${debounced}”.` : `No ${spec?.label.toLowerCase() ?? 'records'} yet.`}</Combobox.Empty>}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
