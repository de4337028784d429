import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Grid, Group, Loader, Modal, NavLink, Paper, ScrollArea, SegmentedControl, Skeleton, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useShallow } from 'zustand/react/shallow';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconCode, IconForms, IconPlus } from '@tabler/icons-react';
import { KNOWN_USE_CASES, useCaseKey } from '@shared/contract';
import { bindPoliciesEvents, selectDirty, selectErrors, selectStale, usePoliciesStore, type ConfigIssue } from '../../../stores/policiesStore';
import { bindProvidersEvents, selectKnownModels, useProvidersStore } from '../../../stores/providersStore';
import { selectIsAdmin, useSessionStore } from '../../../stores/sessionStore';
import { useWorkspaceStore } from '../../../stores/workspaceStore';
import { AdminNote } from '../shared/AdminNote';
import { fmtAgo } from '../shared/format';
import { SectionHeader } from '../shared/Section';
import { addUseCase, readEntries, removeUseCase, setUseCaseField } from './policyDoc';
import { PolicyForm } from './PolicyForm';
import { YamlEditor, type YamlEditorHandle } from './YamlEditor';

const LABELS = new Map(KNOWN_USE_CASES.map((u) => [u.key, u.label]));

const GROUPS = [
  { key: 'general', label: 'General' },
  { key: 'persona', label: 'Persona analysis' },
  { key: 'other', label: 'Other use cases' },
] as const;
const groupOf = (k: string): (typeof GROUPS)[number]['key'] => (k === 'default' ? 'general' : k.startsWith('persona.') ? 'persona' : 'other');

/** Short labels for the list: personas sit under their own heading, so "Persona analysis:" is dropped. */
function navLabel(key: string): string {
  if (key === 'default') return 'Default';
  if (key.endsWith('.*')) return `Every ${key.slice(0, -2)} use case`;
  if (key.startsWith('persona.')) {
    const name = key.slice('persona.'.length).replace(/_/g, ' ');
    return name.charAt(0).toUpperCase() + name.slice(1);
  }
  return LABELS.get(key) ?? key;
}

function CheckStatus() {
  const checking = usePoliciesStore((s) => s.checking);
  const stale = usePoliciesStore(selectStale);
  const issues = usePoliciesStore((s) => s.issues);
  const checkError = usePoliciesStore((s) => s.checkError);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  if (checkError)
    return (
      <Text size="sm" c="red">
        Could not check: {checkError}
      </Text>
    );
  if (checking || stale)
    return (
      <Group gap={6} wrap="nowrap">
        <Loader size={14} />
        <Text size="sm" c="dimmed">
          Checking…
        </Text>
      </Group>
    );
  return (
    <Group gap={6} wrap="nowrap" data-testid="policy-check-status">
      {errors ? <IconCircleX size={16} color="var(--mantine-color-red-6)" /> : <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" />}
      <Text size="sm" c={errors ? 'red' : undefined}>
        {errors ? `${errors} ${errors === 1 ? 'error' : 'errors'}` : 'No errors'}
        {warnings ? ` · ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}` : ''}
      </Text>
    </Group>
  );
}

function IssueList({ issues, onPick }: { issues: readonly ConfigIssue[]; onPick: (i: ConfigIssue) => void }) {
  if (issues.length === 0) return null;
  return (
    <Paper withBorder radius="md" p={0} aria-label="Problems in the policy document" role="list">
      {issues.map((i, n) => (
        <UnstyledButton key={n} role="listitem" onClick={() => onPick(i)} w="100%" px="sm" py={6} style={{ borderTop: n ? '1px solid var(--mantine-color-default-border)' : undefined }} data-testid="policy-issue">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            {i.severity === 'error' ? <IconCircleX size={16} color="var(--mantine-color-red-6)" style={{ flexShrink: 0, marginTop: 2 }} /> : <IconAlertTriangle size={16} color="var(--mantine-color-yellow-6)" style={{ flexShrink: 0, marginTop: 2 }} />}
            <Text size="sm" ff="monospace" c="dimmed" style={{ flexShrink: 0 }} w={70}>
              {i.line ? `Line ${i.line}` : '—'}
            </Text>
            <Text size="sm">
              {i.path && (
                <Text span ff="monospace" size="sm" c="dimmed">
                  {i.path}:{' '}
                </Text>
              )}
              {i.message}
            </Text>
          </Group>
        </UnstyledButton>
      ))}
    </Paper>
  );
}

function AddUseCaseModal({ opened, onClose, onAdd, existing }: { opened: boolean; onClose: () => void; onAdd: (key: string) => void; existing: string[] }) {
  const [key, setKey] = useState('');
  const parsed = useCaseKey.safeParse(key.trim());
  const wildcard = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.\*$/.test(key.trim());
  const error = !key.trim() ? null : existing.includes(key.trim()) ? 'That use case already has an entry.' : parsed.success || wildcard ? null : parsed.error.issues[0]?.message;
  return (
    <Modal opened={opened} onClose={onClose} title="Add a use case entry" size="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!error && key.trim()) {
            onAdd(key.trim());
            setKey('');
          }
        }}
      >
        <Stack>
          <TextInput
            label="Use case key"
            description="A use case the app calls (copilot.chat), or a wildcard for a family (persona.*)"
            placeholder="persona.*"
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            error={error}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!key.trim() || !!error}>
              Add
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function PoliciesPanel() {
  const workspace = useWorkspaceStore((s) => s.current);
  const isAdmin = useSessionStore(selectIsAdmin);
  const s = usePoliciesStore();
  const dirty = usePoliciesStore(selectDirty);
  const errors = usePoliciesStore(useShallow(selectErrors));
  const stale = usePoliciesStore(selectStale);
  const providers = useProvidersStore((p) => p.providers);
  const providersLoaded = useProvidersStore((p) => p.loaded);
  const loadProviders = useProvidersStore((p) => p.load);
  const knownModels = useProvidersStore(useShallow(selectKnownModels));
  const [view, setView] = useState<'form' | 'yaml'>('form');
  const [chosen, setSelected] = useState('default');
  const [addOpen, setAddOpen] = useState(false);
  const [resetOpen, setResetOpen] = useState(false);
  const editor = useRef<YamlEditorHandle | null>(null);
  const [pendingLine, setPendingLine] = useState<ConfigIssue | null>(null);

  const { load } = s;
  useEffect(() => {
    if (workspace) void load(workspace);
  }, [workspace, load]);
  useEffect(() => {
    if (!providersLoaded) void loadProviders();
  }, [providersLoaded, loadProviders]);
  useEffect(() => {
    const unbind = [bindPoliciesEvents(), bindProvidersEvents()];
    return () => unbind.forEach((u) => u());
  }, []);
  // Jumping from the form to a line of the YAML view happens once the editor exists.
  useEffect(() => {
    if (view === 'yaml' && pendingLine && editor.current) {
      editor.current.goTo(pendingLine.line ?? 1, pendingLine.column);
      setPendingLine(null);
    }
  }, [view, pendingLine]);

  const read = useMemo(() => readEntries(s.draft), [s.draft]);
  const entries = useMemo(() => (read.ok ? read.entries : {}), [read]);
  const useCases = useMemo(() => {
    const keys = new Set<string>(KNOWN_USE_CASES.map((u) => u.key));
    for (const k of Object.keys(entries)) keys.add(k);
    const all = [...keys];
    const order = (k: string): number => (k === 'default' ? 0 : k.startsWith('persona.') ? (k.endsWith('*') ? 1 : 2) : 3);
    return all.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  }, [entries]);
  // A use case added in a draft that was then discarded is gone: fall back to the default entry.
  const selected = useCases.includes(chosen) ? chosen : 'default';

  if (!workspace) {
    return (
      <Alert variant="light" title="No workspace selected">
        Policies belong to a workspace. Create or pick one in the header first.
      </Alert>
    );
  }

  const editable = isAdmin;
  const edit = (fn: (yaml: string) => string): void => {
    try {
      s.setDraft(fn(s.draft));
    } catch (e) {
      notifications.show({ color: 'red', message: e instanceof Error ? e.message : String(e) });
    }
  };
  const issuesOf = (key: string): { errors: number; warnings: number } => {
    const mine = s.issues.filter((i) => i.path === `use_cases.${key}` || i.path.startsWith(`use_cases.${key}.`));
    return { errors: mine.filter((i) => i.severity === 'error').length, warnings: mine.filter((i) => i.severity === 'warning').length };
  };
  const save = async (): Promise<void> => {
    if (await s.save()) notifications.show({ color: 'teal', title: 'Policies saved', message: 'They apply from the next model call.' });
  };
  const saved = s.saved;
  const canSave = editable && dirty && !s.saving && !stale && !s.checking && errors.length === 0;
  const globalIssues = s.issues.filter((i) => !i.path.startsWith('use_cases.') || i.path === 'use_cases');

  return (
    <Stack gap="lg">
      <SectionHeader
        title="Policies"
        description={
          <>
            How each use case calls models in workspace “{workspace}”: model, sampling, fallback chain, timeouts, retries, cache and budget. Edit as a form or as YAML; every change
            is checked as you type, and applies from the next call once saved.
          </>
        }
        actions={
          editable && (
            <Button variant="default" onClick={() => setResetOpen(true)} disabled={saved?.source === 'default' && !dirty}>
              Reset to default
            </Button>
          )
        }
      />
      {!isAdmin && <AdminNote what="policies" />}
      {s.loadError && (
        <Alert color="red" variant="light" title="Could not load the policies">
          {s.loadError}
        </Alert>
      )}
      {!saved ? (
        <Skeleton h={420} />
      ) : (
        <>
          <Paper withBorder radius="md" px="md" py="xs">
            <Group justify="space-between" wrap="wrap" gap="sm">
              <Group gap="md">
                <SegmentedControl
                  value={view}
                  onChange={(v) => setView(v as 'form' | 'yaml')}
                  aria-label="Editor view"
                  data={[
                    { value: 'form', label: <Group gap={6} wrap="nowrap"><IconForms size={15} />Form</Group> },
                    { value: 'yaml', label: <Group gap={6} wrap="nowrap"><IconCode size={15} />YAML</Group> },
                  ]}
                />
                <CheckStatus />
              </Group>
              <Group gap="sm">
                <Text size="xs" c="dimmed" data-testid="policy-in-force">
                  In force: {saved.source === 'default' ? 'the shipped default' : `revision ${saved.rev}, saved ${fmtAgo(saved.updatedAt)}${saved.updatedBy ? ` by ${saved.updatedBy}` : ''}`}
                </Text>
                {dirty && <Badge color="yellow" variant="light">Unsaved changes</Badge>}
                {editable && (
                  <>
                    <Button variant="default" size="sm" disabled={!dirty || s.saving} onClick={() => s.discard()}>
                      Discard
                    </Button>
                    <Button size="sm" onClick={() => void save()} loading={s.saving} disabled={!canSave}>
                      Save
                    </Button>
                  </>
                )}
              </Group>
            </Group>
          </Paper>

          {s.refused && (
            <Alert color="red" variant="light" title="Not saved — the policies in force are unchanged" data-testid="policy-refused">
              {s.refused}
            </Alert>
          )}
          {!s.refused && dirty && errors.length > 0 && !stale && (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={`This draft has ${errors.length} ${errors.length === 1 ? 'error' : 'errors'} and cannot be saved`}>
              Model calls keep using the policies in force ({saved.source === 'default' ? 'the shipped default' : `revision ${saved.rev}`}) until the draft is fixed and saved.
            </Alert>
          )}
          {s.changedElsewhere && (
            <Alert color="blue" variant="light" title="The saved policies changed elsewhere">
              Someone saved a newer version (another window or the CLI) while you were editing. Saving replaces it with your draft; discard to see theirs.
            </Alert>
          )}

          {view === 'yaml' ? (
            <Grid gap="md">
              <Grid.Col span={{ base: 12, lg: s.issues.length ? 8 : 12 }}>
                <YamlEditor value={s.draft} onChange={(t) => s.setDraft(t)} issues={stale ? [] : s.issues} readOnly={!editable} label="Policy YAML" height={620} handleRef={editor} />
              </Grid.Col>
              {s.issues.length > 0 && (
                <Grid.Col span={{ base: 12, lg: 4 }}>
                  <Stack gap="xs">
                    <Text size="sm" fw={600}>
                      Problems
                    </Text>
                    <ScrollArea.Autosize mah={590}>
                      <IssueList issues={s.issues} onPick={(i) => editor.current?.goTo(i.line ?? 1, i.column)} />
                    </ScrollArea.Autosize>
                  </Stack>
                </Grid.Col>
              )}
            </Grid>
          ) : !read.ok ? (
            <Alert color="red" variant="light" title="The form needs valid YAML">
              {read.message} Fix it in the YAML view, or discard the draft.
              <Group mt="sm">
                <Button size="xs" variant="light" onClick={() => setView('yaml')}>
                  Open the YAML view
                </Button>
              </Group>
            </Alert>
          ) : (
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
                <Paper withBorder radius="md" p={4}>
                  <ScrollArea.Autosize mah={640}>
                    <nav aria-label="Use cases">
                      {GROUPS.map((g) => {
                        const keys = useCases.filter((k) => groupOf(k) === g.key);
                        if (!keys.length) return null;
                        return (
                          <div key={g.key}>
                            <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
                              {g.label}
                            </Text>
                            {keys.map((key) => {
                              const { errors: e, warnings: w } = issuesOf(key);
                              const own = Object.hasOwn(entries, key) && entries[key] && Object.keys(entries[key]!).length > 0;
                              return (
                                <NavLink
                                  key={key}
                                  active={selected === key}
                                  onClick={() => setSelected(key)}
                                  label={navLabel(key)}
                                  description={key}
                                  styles={{ description: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 11 } }}
                                  rightSection={
                                    e ? (
                                      <Badge size="xs" color="red" aria-label={`${e} errors`}>
                                        {e}
                                      </Badge>
                                    ) : w ? (
                                      <Badge size="xs" color="yellow" variant="light" aria-label={`${w} warnings`}>
                                        {w}
                                      </Badge>
                                    ) : own ? (
                                      <Badge size="xs" variant="light">
                                        own
                                      </Badge>
                                    ) : null
                                  }
                                />
                              );
                            })}
                          </div>
                        );
                      })}
                    </nav>
                  </ScrollArea.Autosize>
                  {editable && (
                    <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} fullWidth mt={4} onClick={() => setAddOpen(true)}>
                      Add use case entry
                    </Button>
                  )}
                </Paper>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
                <Stack gap="md">
                  {globalIssues.length > 0 && <IssueList issues={globalIssues} onPick={(i) => { setPendingLine(i); setView('yaml'); }} />}
                  <Paper withBorder radius="md" p="lg">
                    <PolicyForm
                      key={selected}
                      useCase={selected}
                      label={LABELS.get(selected) ?? (selected.endsWith('.*') ? `Every ${selected.slice(0, -2)} use case without its own entry` : null)}
                      entries={entries}
                      effective={saved.policies.find((p) => p.useCase === selected)}
                      endpoints={providers}
                      knownModels={knownModels}
                      issues={stale ? [] : s.issues}
                      disabled={!editable}
                      dirty={dirty}
                      onSet={(path, value) => edit((y) => setUseCaseField(y, selected, path, value))}
                      onAddEntry={() => edit((y) => addUseCase(y, selected))}
                      onRemoveEntry={() => edit((y) => removeUseCase(y, selected))}
                    />
                  </Paper>
                </Stack>
              </Grid.Col>
            </Grid>
          )}
        </>
      )}
      <AddUseCaseModal
        opened={addOpen}
        onClose={() => setAddOpen(false)}
        existing={Object.keys(entries)}
        onAdd={(key) => {
          edit((y) => addUseCase(y, key));
          setSelected(key);
          setAddOpen(false);
        }}
      />
      <Modal opened={resetOpen} onClose={() => setResetOpen(false)} title="Reset the policies to the shipped default?" size="md">
        <Stack>
          <Text size="sm">
            The workspace’s own document is replaced by the default (resources/policies.default.yaml), including its budgets. The last 50 versions stay in the history.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setResetOpen(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={s.saving}
              onClick={() =>
                void s.resetToDefault().then((ok) => {
                  setResetOpen(false);
                  if (ok) notifications.show({ color: 'teal', message: 'The default policies are in force again.' });
                })
              }
            >
              Reset
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
