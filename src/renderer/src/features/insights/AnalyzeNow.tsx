import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Select, Stack, Text } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { PersonaInfo, RecordMatch } from '@shared/contract';
import { getEntity } from '@shared/entities';
import type { Insight } from '@shared/insights';
import { call } from '../../api/client';
import { JobProgress } from '../../components/JobProgress';
import { RecordPicker } from '../../components/RecordPicker';
import { SEVERITY_COLOR, SEVERITY_LABEL, STATUS_LABEL } from './format';
import { useAnalyze, type AnalyzeState } from './useAnalyze';

/** The insight an "Analyze now" produced, in brief, with a way to open it. */
export function AnalyzeOutcome({ insight, onOpen }: { insight: Insight; onOpen?: (id: string) => void }) {
  const failed = insight.status === 'failed';
  return (
    <Paper withBorder p="sm" radius="md" data-testid="analyze-outcome" data-status={insight.status}>
      <Stack gap={6}>
        <Group gap={6}>
          {insight.severity && (
            <Badge color={SEVERITY_COLOR[insight.severity]} size="sm">
              {SEVERITY_LABEL[insight.severity]}
            </Badge>
          )}
          <Badge variant="light" color={failed ? 'red' : 'indigo'} size="sm">
            {STATUS_LABEL[insight.status]}
          </Badge>
        </Group>
        <Text fw={600} size="sm">
          {failed ? `The analysis failed${insight.errorCode ? ` (${insight.errorCode})` : ''}` : insight.title}
        </Text>
        <Text size="sm" c={failed ? 'red' : undefined} lineClamp={4}>
          {failed ? insight.errorMessage : insight.summary}
        </Text>
        {onOpen ? (
          <Group justify="flex-end">
            <Button size="xs" variant="light" onClick={() => onOpen(insight.id)}>
              Open insight
            </Button>
          </Group>
        ) : (
          <Anchor component={Link} to={`/insights?id=${encodeURIComponent(insight.id)}`} size="sm">
            Open in Insights →
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}

/** Progress while the model works, then the outcome (or what went wrong). */
export function AnalyzeProgress({ analyze, onOpen }: { analyze: AnalyzeState; onOpen?: (id: string) => void }) {
  return (
    <Stack gap="xs">
      {analyze.job && !analyze.insight && <JobProgress job={analyze.job} label="Analysis" onCancel={analyze.cancel} />}
      {analyze.error && <Alert color="red">{analyze.error}</Alert>}
      {analyze.insight && analyze.unchanged && (
        <Alert color="gray" variant="light" data-testid="analyze-unchanged">
          Nothing changed since the last analysis, so the model was not asked again; its insight still holds.
          {analyze.lastPersona && analyze.lastEntity !== null && (
            <Button size="compact-xs" variant="light" ml="xs" onClick={() => void analyze.start(analyze.lastPersona!, analyze.lastEntity!, { force: true })} data-testid="analyze-again">
              Analyze again
            </Button>
          )}
        </Alert>
      )}
      {analyze.insight && <AnalyzeOutcome insight={analyze.insight} onOpen={onOpen} />}
    </Stack>
  );
}

/** "Analyze now" from the insights page: pick a persona, then the record by its code, name or id. */
export function AnalyzeNowModal({
  opened,
  onClose,
  workspace,
  personas,
  onOpen,
}: {
  opened: boolean;
  onClose: () => void;
  workspace: string;
  personas: PersonaInfo[];
  onOpen: (id: string) => void;
}) {
  const enabled = personas.filter((p) => p.enabled);
  const [persona, setPersona] = useState<string | null>(null);
  const [picked, setPicked] = useState<RecordMatch | null>(null);
  const [text, setText] = useState('');
  const analyze = useAnalyze(workspace);
  const spec = enabled.find((p) => p.key === persona) ?? enabled[0];
  const entity = spec ? getEntity(spec.entityType) : undefined;
  const typed = text.trim();

  const close = (): void => {
    analyze.reset();
    setPicked(null);
    setText('');
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Analyze a record now" size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Runs one AI persona on one record right away and saves the result as an insight.
        </Text>
        {enabled.length === 0 && <Alert color="yellow">Every persona is switched off. Switch one on under Configuration → Personas &amp; Engine.</Alert>}
        <Group grow align="flex-start">
          <Select
            label="Persona"
            data={enabled.map((p) => ({ value: p.key, label: p.name }))}
            value={spec?.key ?? null}
            onChange={(v) => {
              setPersona(v);
              setPicked(null);
              setText('');
              analyze.reset();
            }}
            allowDeselect={false}
            description={spec?.description}
            disabled={analyze.running}
          />
          {spec && (
            <RecordPicker
              key={spec.entityType}
              workspace={workspace}
              entity={spec.entityType}
              label={entity?.singular}
              value={picked}
              onChange={setPicked}
              text={text}
              onTextChange={setText}
              description={picked ? [picked.title, picked.subtitle].filter(Boolean).join(' · ') : `Type its code, its name or its id (${entity?.label ?? 'records'}).`}
              disabled={analyze.running}
              autoFocus
            />
          )}
        </Group>
        <AnalyzeProgress
          analyze={analyze}
          onOpen={(id) => {
            onOpen(id);
            close();
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Close
          </Button>
          {/* A typed code works without picking: the core resolves it, or says there is no such record. */}
          <Button leftSection={<IconSparkles size={16} />} disabled={!spec || (!picked && !typed)} loading={analyze.running} onClick={() => spec && void analyze.start(spec.key, picked?.id ?? typed)}>
            Analyze
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** "Analyze now" in the Data page's record drawer: the personas that read this kind of record. */
export function RecordAnalyze({ workspace, entity, id }: { workspace: string; entity: string; id: number }) {
  const [personas, setPersonas] = useState<PersonaInfo[] | null>(null);
  const analyze = useAnalyze(workspace);
  const { reset } = analyze;
  useEffect(() => {
    let live = true;
    call('personas.list', {}).then(
      (r) => live && setPersonas(r.personas.filter((p) => p.entityType === entity)),
      () => live && setPersonas([]),
    );
    return () => {
      live = false;
    };
  }, [entity]);
  // A different record starts afresh.
  useEffect(() => reset(), [id, entity, reset]);
  if (!personas || personas.length === 0) return null;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="record-analyze">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600}>
            AI analysis
          </Text>
          <Group gap="xs">
            {personas.map((p) => (
              <Button
                key={p.key}
                size="xs"
                leftSection={<IconSparkles size={14} />}
                onClick={() => void analyze.start(p.key, id)}
                loading={analyze.running}
                disabled={!p.enabled}
                title={p.enabled ? p.description : `${p.name} is switched off in Configuration.`}
              >
                Analyze now{personas.length > 1 ? ` · ${p.name}` : ''}
              </Button>
            ))}
          </Group>
        </Group>
        {!analyze.job && !analyze.error && (
          <Text size="xs" c="dimmed">
            {personas.map((p) => p.name).join(', ')} {personas.length > 1 ? 'read' : 'reads'} this record with its history and saves an insight.
          </Text>
        )}
        <AnalyzeProgress analyze={analyze} />
      </Stack>
    </Paper>
  );
}
