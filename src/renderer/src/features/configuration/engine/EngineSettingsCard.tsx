import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Checkbox, Divider, Group, NumberInput, Paper, SimpleGrid, Skeleton, Stack, Switch, Text, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCalendarTime, IconEyeOff, IconPower, IconRepeat, IconSearch } from '@tabler/icons-react';
import { PII_KIND_NAMES, type EngineSettings } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { countChanges, engineDraftErrors, enginePatch, toEngineDraft, useEngineStore, type EngineDraft } from '../../../stores/engineStore';

export const PII_LABELS: Record<(typeof PII_KIND_NAMES)[number], { label: string; example: string }> = {
  email: { label: 'Email addresses', example: 'ana@example.com' },
  phone: { label: 'Phone numbers', example: '+44 20 7946 0958' },
  card: { label: 'Card numbers', example: '4111 1111 1111 1111' },
  national_id: { label: 'National ids', example: 'SSN, NI and similar numbers' },
  ip: { label: 'IP addresses', example: '192.0.2.10' },
};

/** A titled block of the settings card, with an icon that says what kind of setting it is. */
function Block({ icon, title, description, children }: { icon: ReactNode; title: string; description: string; children: ReactNode }) {
  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" size="lg" radius="md">
          {icon}
        </ThemeIcon>
        <Stack gap={0}>
          <Text fw={600} size="sm">
            {title}
          </Text>
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        </Stack>
      </Group>
      <Stack gap="sm" pl={46}>
        {children}
      </Stack>
    </Stack>
  );
}

/** Engine-wide settings: the AI switch, PII redaction, retries, scan width, grounding and the scheduler's limits. */
export function EngineSettingsCard({ editable }: { editable: boolean }) {
  const { settings, settingsError, saving, configure } = useEngineStore();
  const [base, setBase] = useState<EngineSettings | null>(null);
  const [draft, setDraft] = useState<EngineDraft | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);

  const patch = settings && draft ? enginePatch(settings, draft) : {};
  const changes = countChanges(patch);
  // Fresh settings from the core replace the form unless the admin is in the middle of editing.
  if (settings && settings !== base) {
    setBase(settings);
    if (changes === 0 || draft === null) setDraft(toEngineDraft(settings));
  }

  if (settingsError && !settings) {
    return (
      <Alert color="red" variant="light" title="Could not load the engine settings">
        {settingsError}
      </Alert>
    );
  }
  if (!settings || !draft) return <Skeleton h={420} radius="md" />;

  const errors = engineDraftErrors(draft);
  const invalid = Object.keys(errors).length > 0;
  const edit = (next: Partial<EngineDraft>): void => {
    setDraft({ ...draft, ...next });
    setServerError(null);
  };
  const off = !editable;

  const save = async (): Promise<void> => {
    if (invalid || changes === 0) return;
    try {
      const next = await configure(patch);
      setBase(next);
      setDraft(toEngineDraft(next));
      notifications.show({ color: 'teal', title: 'Engine settings saved', message: 'They apply from the next persona run and the next scheduled task.' });
    } catch (e) {
      setServerError(errorMessage(e));
    }
  };

  return (
    <Paper withBorder radius="md" p="lg" aria-label="Engine settings" component="section">
      <Stack gap="lg">
        <Group justify="space-between" wrap="nowrap">
          <Title order={4}>Engine settings</Title>
          <Badge variant="light" color={settings.aiEnabled ? 'teal' : 'red'} size="lg">
            {settings.aiEnabled ? 'AI on' : 'AI off'}
          </Badge>
        </Group>

        <Paper radius="md" p="md" bg={draft.aiEnabled ? 'var(--mantine-color-default-hover)' : 'var(--mantine-color-red-light)'}>
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xl">
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <ThemeIcon variant="light" size="lg" radius="md" color={draft.aiEnabled ? 'teal' : 'red'}>
                <IconPower size={18} />
              </ThemeIcon>
              <Stack gap={2}>
                <Text fw={600}>AI analysis</Text>
                <Text size="sm" c="dimmed" maw={640}>
                  The master switch. When it is off no persona or coaching analysis runs — neither “Analyze now” nor scheduled scans — and nothing is sent to any model provider. Insights
                  already made, anomaly and trend detection, and the expiry sweep keep working.
                </Text>
              </Stack>
            </Group>
            <Switch size="md" aria-label="AI analysis enabled" checked={draft.aiEnabled} disabled={off} onChange={(e) => edit({ aiEnabled: e.currentTarget.checked })} />
          </Group>
        </Paper>

        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" verticalSpacing="xl">
          <Block icon={<IconEyeOff size={18} />} title="PII redaction" description="Masks personal data in persona prompts before anything leaves this computer. The audit log records counts, never values.">
            <Switch
              label="Redact personal data"
              checked={draft.redaction.enabled}
              disabled={off}
              onChange={(e) => edit({ redaction: { ...draft.redaction, enabled: e.currentTarget.checked } })}
            />
            <SimpleGrid cols={2} spacing="xs" verticalSpacing={8}>
              {PII_KIND_NAMES.map((k) => (
                <Checkbox
                  key={k}
                  label={PII_LABELS[k].label}
                  description={PII_LABELS[k].example}
                  checked={draft.redaction.kinds[k]}
                  disabled={off || !draft.redaction.enabled}
                  onChange={(e) => edit({ redaction: { ...draft.redaction, kinds: { ...draft.redaction.kinds, [k]: e.currentTarget.checked } } })}
                />
              ))}
            </SimpleGrid>
            {!draft.redaction.enabled && (
              <Text size="xs" c="orange">
                With redaction off, records are sent to the provider as they are.
              </Text>
            )}
          </Block>

          <Block icon={<IconRepeat size={18} />} title="Model answers and scans" description="How hard the engine tries to get valid output, and how many model calls a scan keeps in flight.">
            <NumberInput
              label="Output retries"
              description="Extra turns asking for valid JSON when an answer cannot be parsed (0–3)"
              value={draft.outputRetries}
              onChange={(v) => edit({ outputRetries: v })}
              min={0}
              max={3}
              clampBehavior="none"
              allowDecimal={false}
              error={errors.outputRetries}
              disabled={off}
              maw={320}
            />
            <NumberInput
              label="Scan concurrency"
              description="Model calls in flight at once during a scan (1–32)"
              value={draft.concurrency}
              onChange={(v) => edit({ concurrency: v })}
              min={1}
              max={32}
              clampBehavior="none"
              allowDecimal={false}
              error={errors.concurrency}
              disabled={off}
              maw={320}
            />
          </Block>

          <Block icon={<IconSearch size={18} />} title="Grounding" description="Adds related records from the workspace’s search index to persona prompts, when the workspace has an index.">
            <Switch
              label="Ground prompts in related records"
              checked={draft.grounding.enabled}
              disabled={off}
              onChange={(e) => edit({ grounding: { ...draft.grounding, enabled: e.currentTarget.checked } })}
            />
            <Group grow align="flex-start" maw={460}>
              <NumberInput
                label="Related records"
                description="1–10 per prompt"
                value={draft.grounding.k}
                onChange={(v) => edit({ grounding: { ...draft.grounding, k: v } })}
                min={1}
                max={10}
                clampBehavior="none"
                allowDecimal={false}
                error={errors.k}
                disabled={off || !draft.grounding.enabled}
              />
              <NumberInput
                label="Character budget"
                description="200–8,000 characters"
                value={draft.grounding.charBudget}
                onChange={(v) => edit({ grounding: { ...draft.grounding, charBudget: v } })}
                min={200}
                max={8000}
                step={250}
                thousandSeparator=","
                clampBehavior="none"
                allowDecimal={false}
                error={errors.charBudget}
                disabled={off || !draft.grounding.enabled}
              />
            </Group>
          </Block>

          <Block icon={<IconCalendarTime size={18} />} title="Scheduler" description="Runs persona scans, the expiry sweep, detectors and the coaching refresh on their schedules. Its limits cover all workspaces together.">
            <Switch
              label="Run scheduled tasks"
              checked={draft.scheduler.enabled}
              disabled={off}
              onChange={(e) => edit({ scheduler: { ...draft.scheduler, enabled: e.currentTarget.checked } })}
            />
            <Group grow align="flex-start" maw={460}>
              <NumberInput
                label="Max insights per run"
                description="Cap on one scheduled scan"
                value={draft.scheduler.maxInsightsPerRun}
                onChange={(v) => edit({ scheduler: { ...draft.scheduler, maxInsightsPerRun: v } })}
                min={1}
                max={10_000}
                thousandSeparator=","
                clampBehavior="none"
                allowDecimal={false}
                error={errors.maxInsightsPerRun}
                disabled={off || !draft.scheduler.enabled}
              />
              <NumberInput
                label="Daily token budget"
                description="Per UTC day; 0 = no limit"
                value={draft.scheduler.dailyTokenBudget}
                onChange={(v) => edit({ scheduler: { ...draft.scheduler, dailyTokenBudget: v } })}
                min={0}
                step={50_000}
                thousandSeparator=","
                suffix=" tok"
                clampBehavior="none"
                allowDecimal={false}
                error={errors.dailyTokenBudget}
                disabled={off || !draft.scheduler.enabled}
              />
            </Group>
          </Block>
        </SimpleGrid>

        {serverError && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Not saved — the settings in force are unchanged">
            {serverError}
          </Alert>
        )}
        {editable && (
          <>
            <Divider />
            <Group justify="flex-end">
              <Text size="sm" c="dimmed" data-testid="engine-changes">
                {changes ? `${changes} ${changes === 1 ? 'change' : 'changes'} not saved` : 'Settings apply to every workspace.'}
              </Text>
              <Button
                variant="default"
                disabled={changes === 0 || saving}
                onClick={() => {
                  setDraft(toEngineDraft(settings));
                  setServerError(null);
                }}
              >
                Reset
              </Button>
              <Button onClick={() => void save()} disabled={changes === 0 || invalid} loading={saving}>
                Save settings
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
