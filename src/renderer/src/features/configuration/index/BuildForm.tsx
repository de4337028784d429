import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Modal, NumberInput, Radio, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconHammer, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import type { IndexVersionInfo } from '@shared/contract';
import { errorMessage } from '../../../api/client';
import { embedderSpecOf, useVectorsStore, type EmbedderOption } from '../../../stores/vectorsStore';
import classes from './index.module.css';

type Strategy = 'sentence' | 'paragraph' | 'fixed';

const STRATEGIES: { value: Strategy; label: string; hint: string }[] = [
  { value: 'sentence', label: 'Sentences', hint: 'Whole sentences packed up to the chunk size, with overlap: the default, good for tickets and messages.' },
  { value: 'paragraph', label: 'Paragraphs', hint: 'One paragraph per chunk where it fits: good for long structured documents.' },
  { value: 'fixed', label: 'Fixed size', hint: 'Cut every N characters at word boundaries, with overlap: predictable chunk sizes.' },
];

const DEFAULTS: Record<Strategy, { maxChars: number; overlap: number }> = {
  sentence: { maxChars: 800, overlap: 120 },
  paragraph: { maxChars: 800, overlap: 0 },
  fixed: { maxChars: 800, overlap: 120 },
};

/** Tells people plainly what an embedder matches: the built-in one is lexical, the others semantic. */
export function EmbedderKindBadge({ lexical }: { lexical: boolean }) {
  return lexical ? (
    <Badge size="xs" variant="light" color="gray">
      lexical · words and spellings
    </Badge>
  ) : (
    <Badge size="xs" variant="light" color="grape">
      semantic · meaning
    </Badge>
  );
}

function EmbedderCard({ option }: { option: EmbedderOption }) {
  const description =
    option.kind === 'builtin'
      ? 'Offline, no model file, fast. Finds shared words, codes and spellings — not synonyms or paraphrases.'
      : option.kind === 'provider'
        ? 'Through the gateway’s “embeddings” policy (OpenAI, Azure, Gemini, Ollama…). Text is sent to that provider; usage is tracked.'
        : 'A GGUF embedding model run on this computer: offline and semantic, slower than the built-in one.';
  return (
    <Radio.Card value={option.spec} className={classes.embedderCard} disabled={!option.available} aria-label={option.label} p="sm" radius="md">
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Radio.Indicator disabled={!option.available} mt={2} />
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap={6}>
            <Text size="sm" fw={600}>
              {option.label}
            </Text>
            <EmbedderKindBadge lexical={option.lexical} />
          </Group>
          <Text size="xs" c="dimmed" lh={1.4}>
            {option.available ? description : option.reason}
          </Text>
        </Stack>
      </Group>
    </Radio.Card>
  );
}

const sameChunking = (v: IndexVersionInfo, strategy: Strategy, maxChars: number, overlap: number): boolean =>
  v.chunking.strategy === strategy && v.chunking.maxChars === maxChars && v.chunking.overlap === overlap && !v.chunking.perSource;

interface FormProps {
  versions: IndexVersionInfo[];
  embedders: EmbedderOption[];
  busy: boolean;
  onStarted: () => void;
  onCancel: () => void;
}

/** Choose an embedder and a chunking strategy, and build (or update, resume, rebuild) the matching version. */
function BuildForm({ versions, embedders, busy, onStarted, onCancel }: FormProps) {
  const build = useVectorsStore((s) => s.build);
  const active = versions.find((v) => v.active);
  const [spec, setSpec] = useState(() => (active ? embedderSpecOf(active) : 'builtin'));
  const [strategy, setStrategy] = useState<Strategy>((active?.chunking.strategy as Strategy | undefined) ?? 'sentence');
  const [maxChars, setMaxChars] = useState<number | string>(active?.chunking.maxChars ?? DEFAULTS.sentence.maxChars);
  const [overlap, setOverlap] = useState<number | string>(active?.chunking.overlap ?? DEFAULTS.sentence.overlap);
  const [activate, setActivate] = useState(true);
  const [rebuild, setRebuild] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const size = typeof maxChars === 'number' ? maxChars : Number(maxChars);
  const over = typeof overlap === 'number' ? overlap : Number(overlap);
  const sizeError = !Number.isInteger(size) || size < 100 ? 'At least 100 characters: smaller chunks lose their context.' : size > 8000 ? 'At most 8,000 characters.' : null;
  const overlapError = !Number.isInteger(over) || over < 0 ? 'Zero or more characters.' : !sizeError && over >= size / 2 ? `Less than half the chunk size (${Math.floor((size - 1) / 2)} at most).` : null;
  // The option list may not have the exact spec of the active version (e.g. "provider:MODEL"): match by kind then.
  const options = embedders.some((e) => e.spec === spec) ? embedders : embedders.map((e) => (e.kind === spec.split(':')[0] && e.available ? { ...e, spec } : e));
  const chosen = options.find((e) => e.spec === spec);
  const match = versions.find((v) => embedderSpecOf(v) === spec && sameChunking(v, strategy, size, over));
  const action = !match || rebuild ? 'build' : match.status === 'ready' ? 'update' : 'resume';
  const label = action === 'build' ? (match ? 'Rebuild as a new version' : versions.length ? 'Build new version' : 'Build index') : action === 'update' ? `Update version ${match!.id}` : `Resume version ${match!.id}`;

  const pickStrategy = (s: Strategy): void => {
    setStrategy(s);
    setMaxChars(DEFAULTS[s].maxChars);
    setOverlap(DEFAULTS[s].overlap);
  };

  const submit = async (): Promise<void> => {
    if (sizeError || overlapError || !chosen?.available) return;
    setStarting(true);
    setError(null);
    try {
      const res = await build({ embedder: spec, chunking: { strategy, maxChars: size, overlap: over }, rebuild, activate });
      onStarted();
      notifications.show({
        color: 'indigo',
        title: res.action === 'build' ? `Building index v${res.versionId}` : res.action === 'resume' ? `Resuming index v${res.versionId}` : `Updating index v${res.versionId}`,
        message: res.action === 'update' ? 'Only new and changed records are embedded.' : 'Search keeps using the active index until the new one is ready.',
      });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  return (
    <form
      noValidate
      data-testid="build-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Each embedder and chunking makes its own version, built in the background while search keeps using the active one.
        </Text>
        {error && (
          <Alert color="red" variant="light" title="The build did not start">
            {error}
          </Alert>
        )}
        <Radio.Group value={spec} onChange={setSpec} label="Embedder" description="What turns text into vectors" name="embedder">
          <Stack gap="xs" mt={6}>
            {options.map((o) => (
              <EmbedderCard key={o.spec} option={o} />
            ))}
          </Stack>
        </Radio.Group>
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Chunking
          </Text>
          <SegmentedControl aria-label="Chunking strategy" value={strategy} onChange={(v) => pickStrategy(v as Strategy)} data={STRATEGIES.map((s) => ({ value: s.value, label: s.label }))} fullWidth />
          <Text size="xs" c="dimmed">
            {STRATEGIES.find((s) => s.value === strategy)?.hint}
          </Text>
          <Group grow align="flex-start">
            <NumberInput label="Chunk size" suffix=" chars" min={100} max={8000} step={100} thousandSeparator="," value={maxChars} onChange={setMaxChars} error={sizeError} allowDecimal={false} />
            <NumberInput label="Overlap" suffix=" chars" min={0} max={2000} step={20} value={overlap} onChange={setOverlap} error={overlapError} allowDecimal={false} />
          </Group>
        </Stack>
        <Stack gap="xs">
          <Switch checked={activate} onChange={(e) => setActivate(e.currentTarget.checked)} label="Make it the active index when ready" description="The first version always becomes active." />
          {match && (
            <Checkbox
              checked={rebuild}
              onChange={(e) => setRebuild(e.currentTarget.checked)}
              label="Rebuild from scratch as a new version"
              description={`Version ${match.id} already uses this embedder and chunking; without this, building ${match.status === 'ready' ? 'updates it incrementally' : 'continues it where it stopped'}.`}
            />
          )}
        </Stack>
        {busy && (
          <Alert variant="light" color="gray">
            A build is running; start another when it is done, or cancel it.
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={starting}>
            Close
          </Button>
          <Button
            type="submit"
            loading={starting}
            disabled={busy || !chosen?.available || !!sizeError || !!overlapError}
            leftSection={action === 'build' ? <IconHammer size={16} /> : action === 'update' ? <IconRefresh size={16} /> : <IconPlayerPlay size={16} />}
          >
            {label}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The build dialog: opened from the tab's header, or from the empty state for the first index. */
export function BuildModal({ opened, onClose, versions, embedders, busy }: { opened: boolean; onClose: () => void; versions: IndexVersionInfo[]; embedders: EmbedderOption[]; busy: boolean }) {
  return (
    <Modal opened={opened} onClose={onClose} title={versions.length ? 'Build an index version' : 'Build the search index'} size="lg">
      {/* Mounted while open only, so each opening starts from the active version's configuration. */}
      {opened && <BuildForm versions={versions} embedders={embedders} busy={busy} onStarted={onClose} onCancel={onClose} />}
    </Modal>
  );
}
