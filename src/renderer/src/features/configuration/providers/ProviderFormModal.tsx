import { useEffect, useMemo, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Autocomplete,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useShallow } from 'zustand/react/shallow';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ProviderInfo } from '@shared/contract';
import { useProvidersStore } from '../../../stores/providersStore';
import { selectReadyModels, useLocalModelsStore } from '../../../stores/localModelsStore';
import { appFieldErrors, type FieldErrors } from '../shared/fieldErrors';
import { fmtBytes } from '../shared/format';
import { KindIcon } from './KindIcon';
import {
  blockingErrors,
  DEFAULT_AZURE_API_VERSION,
  emptyValues,
  KINDS,
  kindSpec,
  ROLES,
  toAddInput,
  toUpdateInput,
  validateProvider,
  valuesFrom,
  type ProviderFormValues,
  type ProviderKind,
} from './providerForm';
import classes from './providers.module.css';

/** Server refusals that belong to one field rather than the whole form. */
const SERVER_HINTS: Record<string, RegExp> = {
  name: /named .* already exists/i,
  apiKey: /needs an API key/i,
  baseUrl: /needs (a base URL|the resource URL)/i,
  modelPath: /needs a GGUF model file|GGUF/i,
};

function KindPicker({ value, onChange }: { value: ProviderKind; onChange: (k: ProviderKind) => void }) {
  return (
    <div role="radiogroup" aria-label="Provider kind" className={classes.kindGrid}>
      {KINDS.map((k) => (
        <UnstyledButton
          key={k.value}
          role="radio"
          aria-checked={value === k.value}
          aria-label={k.label}
          className={classes.kindCard}
          data-checked={value === k.value || undefined}
          onClick={() => onChange(k.value)}
        >
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <KindIcon kind={k.value} size={20} />
            <div>
              <Text size="sm" fw={600}>
                {k.label}
              </Text>
              <Text size="xs" c="dimmed" lh={1.35}>
                {k.description}
              </Text>
            </div>
          </Group>
        </UnstyledButton>
      ))}
    </div>
  );
}

function HeadersEditor({ rows, errors, onChange }: { rows: ProviderFormValues['headers']; errors: FieldErrors; onChange: (rows: ProviderFormValues['headers']) => void }) {
  return (
    <Stack gap={6}>
      <Group justify="space-between">
        <div>
          <Text size="sm" fw={600}>
            Custom headers
          </Text>
          <Text size="xs" c="dimmed">
            Sent with every request, e.g. a company gateway’s X-Api-Key. Values are stored encrypted and shown masked.
          </Text>
        </div>
        <Button size="compact-sm" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => onChange([...rows, { name: '', value: '' }])}>
          Add header
        </Button>
      </Group>
      {rows.map((row, i) => (
        <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            aria-label={`Header ${i + 1} name`}
            placeholder="X-Api-Key"
            value={row.name}
            error={errors[`headers.${i}.name`]}
            onChange={(e) => onChange(rows.map((r, j) => (j === i ? { ...r, name: e.currentTarget.value } : r)))}
            style={{ flex: 1 }}
          />
          <TextInput
            aria-label={`Header ${i + 1} value`}
            placeholder="value"
            value={row.value}
            error={errors[`headers.${i}.value`]}
            onChange={(e) => onChange(rows.map((r, j) => (j === i ? { ...r, value: e.currentTarget.value } : r)))}
            style={{ flex: 1.4 }}
          />
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Remove header ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
    </Stack>
  );
}

function LocalModelField({ values, errors, set }: { values: ProviderFormValues; errors: FieldErrors; set: <K extends keyof ProviderFormValues>(k: K, v: ProviderFormValues[K]) => void }) {
  const models = useLocalModelsStore(useShallow(selectReadyModels));
  const loaded = useLocalModelsStore((s) => s.loaded);
  const load = useLocalModelsStore((s) => s.load);
  const isInstalled = models.some((m) => m.id === values.modelPath);
  const [mode, setMode] = useState<'installed' | 'file'>(values.modelPath && !isInstalled ? 'file' : 'installed');
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  return (
    <Stack gap="xs">
      <SegmentedControl
        size="xs"
        value={mode}
        onChange={(m) => {
          setMode(m as 'installed' | 'file');
          set('modelPath', '');
        }}
        data={[
          { value: 'installed', label: 'Installed model' },
          { value: 'file', label: 'GGUF file path' },
        ]}
        aria-label="Where the model comes from"
        w="fit-content"
      />
      {mode === 'installed' ? (
        <Select
          label="Model"
          withAsterisk
          placeholder={models.length ? 'Pick a model' : 'No local models yet'}
          description={models.length ? 'Models under Configuration → Local models that are ready to run.' : 'Download or add one under Configuration → Local models first.'}
          data={models.map((m) => ({ value: m.id, label: `${m.name} · ${m.kind} · ${fmtBytes(m.sizeBytes)}` }))}
          value={isInstalled ? values.modelPath : null}
          onChange={(v) => set('modelPath', v ?? '')}
          error={errors.modelPath}
          searchable
          nothingFoundMessage="No matching model"
        />
      ) : (
        <TextInput
          label="Path of a .gguf file"
          withAsterisk
          placeholder="/home/me/models/qwen2.5-1.5b-instruct-q4_k_m.gguf"
          value={values.modelPath}
          onChange={(e) => set('modelPath', e.currentTarget.value)}
          error={errors.modelPath}
        />
      )}
      <SimpleGrid cols={2}>
        <NumberInput
          label="Context size"
          description="Tokens; empty = 4,096"
          value={values.contextSize}
          onChange={(v) => set('contextSize', typeof v === 'number' ? v : '')}
          allowDecimal={false}
          min={256}
          max={1_048_576}
          clampBehavior="none"
          thousandSeparator=","
          error={errors.contextSize}
        />
        <NumberInput
          label="Threads"
          description="Empty = all cores but one"
          value={values.threads}
          onChange={(v) => set('threads', typeof v === 'number' ? v : '')}
          allowDecimal={false}
          min={1}
          max={256}
          clampBehavior="none"
          error={errors.threads}
        />
      </SimpleGrid>
    </Stack>
  );
}

/** Add or edit one provider endpoint. Editing never shows the stored key: it stays unless a new one is typed. */
export function ProviderFormModal({ opened, onClose, editing }: { opened: boolean; onClose: () => void; editing: ProviderInfo | null }) {
  const add = useProvidersStore((s) => s.add);
  const update = useProvidersStore((s) => s.update);
  const test = useProvidersStore((s) => s.test);
  const remove = useProvidersStore((s) => s.remove);
  /** "Save and test" saved the endpoint but it did not answer: the dialog stays open and asks what to do. */
  const [failedTest, setFailedTest] = useState<{ name: string; message: string; added: boolean } | null>(null);
  const [values, setValues] = useState<ProviderFormValues>(() => (editing ? valuesFrom(editing) : emptyValues()));
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const spec = kindSpec(values.kind);

  const clientErrors = useMemo(() => validateProvider(values, editing ?? undefined), [values, editing]);
  // Errors show once the user tried to save; after that they update as the user types.
  const errors: FieldErrors = touched ? { ...serverErrors, ...clientErrors } : { ...serverErrors, ...(clientErrors.baseUrlHint ? { baseUrlHint: clientErrors.baseUrlHint } : {}) };

  const set = <K extends keyof ProviderFormValues>(key: K, value: ProviderFormValues[K]): void => {
    setValues((v) => ({ ...v, [key]: value }));
    setServerErrors((e) => {
      if (!(key in e) && !e._form) return e;
      const { [key as string]: _drop, _form: _f, ...rest } = e;
      return rest;
    });
  };

  const chooseKind = (kind: ProviderKind): void => {
    setValues((v) => ({ ...v, kind, apiVersion: kind === 'azure' ? v.apiVersion || DEFAULT_AZURE_API_VERSION : v.apiVersion }));
    setServerErrors({});
  };

  const submit = async (andTest: boolean): Promise<void> => {
    setTouched(true);
    if (blockingErrors(clientErrors).length) return;
    setSaving(true);
    setFailedTest(null);
    try {
      const saved = editing ? await update(toUpdateInput(values, editing)) : await add(toAddInput(values));
      const savedMessage = `${saved.name} is ${saved.role === 'standby' ? 'on standby' : `the ${saved.role} endpoint`}.`;
      if (!andTest) {
        notifications.show({ color: 'teal', title: editing ? 'Provider saved' : 'Provider added', message: savedMessage });
        onClose();
        return;
      }
      const r = await test(saved.name);
      if (r.ok) {
        notifications.show({ color: 'teal', title: `${saved.name} answered`, message: `${editing ? 'Saved' : 'Added'}; connected in ${r.latencyMs} ms · ${r.models.length} models. ${savedMessage}` });
        onClose();
        return;
      }
      // One place for the failure (not a banner, a row and a toast): here, with the choice of keeping it or not.
      setFailedTest({ name: saved.name, message: r.error?.message ?? 'The test failed.', added: !editing });
    } catch (e) {
      setServerErrors(appFieldErrors(e, SERVER_HINTS));
    } finally {
      setSaving(false);
    }
  };

  const discardFailed = async (): Promise<void> => {
    if (!failedTest) return;
    setSaving(true);
    try {
      await remove(failedTest.name);
      notifications.show({ color: 'gray', title: 'Provider not kept', message: `${failedTest.name} was removed.` });
      setFailedTest(null);
      onClose();
    } catch (e) {
      setServerErrors(appFieldErrors(e, SERVER_HINTS));
    } finally {
      setSaving(false);
    }
  };

  const keyPlaceholder = editing?.apiKeyMasked ? `${editing.apiKeyMasked} (stored; type to replace)` : spec.apiKey === 'optional' ? 'Only if the server asks for one' : 'sk-…';

  return (
    <Modal opened={opened} onClose={onClose} title={editing ? `Edit provider “${editing.name}”` : 'Add a provider'} size="xl" closeOnClickOutside={!saving}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit(false);
        }}
      >
        <Stack gap="md">
          {!editing && <KindPicker value={values.kind} onChange={chooseKind} />}
          {editing && (
            <Group gap="xs">
              <KindIcon kind={editing.kind} size={18} />
              <Text size="sm" c="dimmed">
                {spec.label} — the kind of an endpoint cannot change; add a new provider instead.
              </Text>
            </Group>
          )}
          {errors._form && (
            <Alert color="red" variant="light" title="Not saved">
              {errors._form}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Name"
              withAsterisk
              description="Used in policies and the CLI"
              placeholder={values.kind === 'local' ? 'offline' : values.kind === 'openai-compatible' ? 'ollama' : `${values.kind}-main`}
              value={values.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={errors.name}
              data-autofocus
            />
            <Select
              label="Role"
              description={values.role === 'auto' ? 'Primary if no endpoint is primary yet, else standby' : ROLES.find((r) => r.value === values.role)?.description}
              data={[...(editing ? [] : [{ value: 'auto', label: 'Automatic' }]), ...ROLES.map((r) => ({ value: r.value, label: r.label }))]}
              value={values.role}
              onChange={(v) => v && set('role', v as ProviderFormValues['role'])}
              allowDeselect={false}
            />
          </SimpleGrid>

          {spec.baseUrl !== 'hidden' && (
            <TextInput
              label={spec.baseUrlLabel}
              withAsterisk={spec.baseUrl === 'required'}
              placeholder={spec.baseUrlPlaceholder}
              value={values.baseUrl}
              onChange={(e) => set('baseUrl', e.currentTarget.value)}
              error={errors.baseUrl}
              description={!errors.baseUrl && errors.baseUrlHint ? <Text span size="xs" c="orange.7">{errors.baseUrlHint}</Text> : undefined}
            />
          )}

          {values.kind === 'local' ? (
            <LocalModelField values={values} errors={errors} set={set} />
          ) : (
            <>
              <Stack gap={4}>
                <PasswordInput
                  label="API key"
                  withAsterisk={spec.apiKey === 'required' && !editing?.apiKeyMasked}
                  placeholder={keyPlaceholder}
                  description="Stored encrypted on this computer; shown only masked."
                  value={values.apiKey}
                  onChange={(e) => set('apiKey', e.currentTarget.value)}
                  error={errors.apiKey}
                  autoComplete="off"
                  disabled={values.removeKey}
                />
                {editing?.apiKeyMasked && spec.apiKey === 'optional' && (
                  <Checkbox size="xs" label="Remove the stored key" checked={values.removeKey} onChange={(e) => set('removeKey', e.currentTarget.checked)} />
                )}
              </Stack>
              <SimpleGrid cols={{ base: 1, sm: spec.embeddingModel ? 2 : 1 }}>
                <Autocomplete
                  label={spec.modelLabel}
                  placeholder={spec.modelPlaceholder}
                  description={values.kind === 'azure' ? 'The deployment name' : 'Policies may name another'}
                  data={editing?.models ?? []}
                  value={values.model}
                  onChange={(v) => set('model', v)}
                  error={errors.model}
                />
                {spec.embeddingModel && (
                  <Autocomplete
                    label={values.kind === 'azure' ? 'Embedding deployment' : 'Embedding model'}
                    placeholder={values.kind === 'gemini' ? 'gemini-embedding-001' : 'text-embedding-3-small'}
                    description="For search; optional"
                    data={editing?.models ?? []}
                    value={values.embeddingModel}
                    onChange={(v) => set('embeddingModel', v)}
                    error={errors.embeddingModel}
                  />
                )}
              </SimpleGrid>
              {(spec.transcriptionModel || spec.apiVersion) && (
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  {spec.transcriptionModel && (
                    <Autocomplete
                      label={values.kind === 'azure' ? 'Transcription deployment' : 'Transcription model'}
                      placeholder="whisper-1"
                      description="For voice; optional"
                      data={editing?.models ?? []}
                      value={values.transcriptionModel}
                      onChange={(v) => set('transcriptionModel', v)}
                      error={errors.transcriptionModel}
                    />
                  )}
                  {spec.apiVersion && (
                    <TextInput label="API version" placeholder={DEFAULT_AZURE_API_VERSION} value={values.apiVersion} onChange={(e) => set('apiVersion', e.currentTarget.value)} error={errors.apiVersion} />
                  )}
                </SimpleGrid>
              )}
              {spec.headers && <HeadersEditor rows={values.headers} errors={errors} onChange={(rows) => set('headers', rows)} />}
            </>
          )}

          {failedTest && (
            <Alert color="orange" variant="light" title={`${failedTest.name} was saved, but did not answer`} data-testid="save-test-failed">
              <Stack gap="xs">
                <Text size="sm">{failedTest.message}</Text>
                <Text size="sm">
                  {failedTest.added
                    ? 'Keep it (for example if the server is not running yet), fix the fields above and save again, or do not keep it.'
                    : 'Your changes are saved. Fix the fields above and save again, or keep it as it is.'}
                </Text>
                <Group gap="xs">
                  <Button size="xs" variant="light" onClick={onClose} disabled={saving}>
                    Keep it
                  </Button>
                  {failedTest.added && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => void discardFailed()} loading={saving}>
                      Do not keep it
                    </Button>
                  )}
                </Group>
              </Stack>
            </Alert>
          )}
          <Divider />
          <Group justify="space-between">
            <Switch label="Enabled" title="Disabled endpoints are skipped by every policy" checked={values.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
            <Group gap="xs">
              <Button variant="default" onClick={onClose} disabled={saving}>
                Cancel
              </Button>
              <Button variant="light" onClick={() => void submit(true)} loading={saving}>
                Save and test
              </Button>
              <Button type="submit" loading={saving}>
                {editing ? 'Save changes' : 'Add provider'}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

