import { useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Kbd, Loader, MultiSelect, Paper, SegmentedControl, Skeleton, Stack, TagsInput, Text, TextInput, Title, Tooltip, EmptyState } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconAlertTriangle, IconDatabaseSearch, IconFilterOff, IconSearch, IconSearchOff } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import type { SearchResult } from '@shared/contract';
import { RecordDrawer } from '../data/RecordDrawer';
import { hasFilters, MAX_RESULTS, PAGE_SIZE, useSearchStore, type SearchFilters, type SearchMode } from '../../stores/searchStore';
import { bindVectorsEvents, useVectorsStore } from '../../stores/vectorsStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../stores/workspaceStore';
import { splitByFloor } from './resultGroups';
import { FloorDivider, ResultList } from './ResultList';
import { AnswerPanel } from './AnswerPanel';
import { readSearchParams, writeSearchParams, type SearchUrlState } from './searchParams';

const MODES: { value: SearchMode; label: string; hint: string }[] = [
  { value: 'hybrid', label: 'Hybrid', hint: 'Words and codes (BM25) and the embedder’s vectors, fused: the best default.' },
  { value: 'vector', label: 'Vector', hint: 'Nearest neighbours of the query’s vector only.' },
  { value: 'keyword', label: 'Keyword', hint: 'Words and exact codes only (BM25, with stemming).' },
];

const fmtMs = (ms: number): string => (ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`);

function Filters({ state, onChange }: { state: SearchUrlState; onChange: (f: SearchFilters) => void }) {
  const sources = useVectorsStore((s) => s.sources);
  const f = state.filters;
  // Says what was just refused; typing again, clearing or leaving the field takes it away (it never outlives its input).
  const [idError, setIdError] = useState<string | null>(null);
  const rangeError = f.dateFrom && f.dateTo && f.dateTo < f.dateFrom ? 'The end is before the start.' : null;
  return (
    <Group gap="sm" align="flex-start" wrap="nowrap">
      <MultiSelect
        label="Source types"
        placeholder={f.sourceTypes.length ? undefined : 'All types'}
        data={sources.map((s) => ({ value: s.type, label: s.label }))}
        value={f.sourceTypes}
        onChange={(sourceTypes) => onChange({ ...f, sourceTypes })}
        searchable
        clearable
        size="sm"
        style={{ flex: 1, minWidth: 200 }}
        maxDropdownHeight={280}
        nothingFoundMessage="No such source type"
      />
      <TextInput label="From" type="date" size="sm" w={150} value={f.dateFrom} onChange={(e) => onChange({ ...f, dateFrom: e.currentTarget.value })} />
      <TextInput label="To" type="date" size="sm" w={150} value={f.dateTo} onChange={(e) => onChange({ ...f, dateTo: e.currentTarget.value })} error={rangeError} />
      <TagsInput
        label="Record ids"
        placeholder={f.entityIds.length ? undefined : 'e.g. 112, 228'}
        size="sm"
        w={200}
        splitChars={[',', ' ', ';']}
        value={f.entityIds.map(String)}
        clearable
        acceptValueOnBlur
        error={idError}
        onSearchChange={(text) => {
          if (idError && text) setIdError(null);
        }}
        onClear={() => setIdError(null)}
        onBlur={() => setIdError(null)}
        onChange={(values) => {
          const ids = values.map((v) => Number(v.replace(/^#/, '')));
          const bad = values.filter((_, i) => !(Number.isInteger(ids[i]) && ids[i]! > 0));
          setIdError(bad.length ? `Not a record id: ${bad.join(', ')}` : null);
          onChange({ ...f, entityIds: [...new Set(ids.filter((n) => Number.isInteger(n) && n > 0))] });
        }}
      />
    </Group>
  );
}

function NoIndex({ workspace }: { workspace: string }) {
  return (
    <Paper withBorder radius="md" py={40} data-testid="search-no-index">
      <EmptyState
        icon={<IconDatabaseSearch size={28} />}
        variant="light"
        title="No index yet — build one to search by meaning"
        description={`Search needs an index of workspace “${workspace}”: its records cut into chunks, each embedded as a vector and indexed for keywords. Building one takes seconds to minutes and everything stays on this machine.`}
      >
        <EmptyState.Actions>
          <Button component={Link} to="/configuration?tab=index" leftSection={<IconDatabaseSearch size={16} />}>
            Go to Embeddings & Index
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}

export function SearchPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const workspacesLoaded = useWorkspaceStore((s) => s.loaded);
  const name = workspace?.status === 'ready' ? workspace.name : null;
  const status = useVectorsStore((s) => (s.workspace === name ? s.status : null));
  const statusError = useVectorsStore((s) => (s.workspace === name ? s.error : null));
  const loadForSearch = useVectorsStore((s) => s.loadForSearch);
  const { request, response, loading, error, search, clear } = useSearchStore();
  const [params, setParams] = useSearchParams();
  const state = readSearchParams(params);
  const [draft, setDraft] = useState(state.q);
  // The address bar is the truth: Back/Forward or a shared link restore the query box.
  const [draftFor, setDraftFor] = useState(state.q);
  if (draftFor !== state.q) {
    setDraftFor(state.q);
    setDraft(state.q);
  }
  const [draftError, setDraftError] = useState<string | null>(null);
  const [opened, setOpened] = useState<SearchResult | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([name, state]);
  // "Show more" raises k for this search only; a new query starts again from one page.
  const [more, setMore] = useState<{ key: string; k: number } | null>(null);
  const k = more?.key === key ? more.k : PAGE_SIZE;
  const active = status?.active ?? null;
  const activeId = active?.id ?? null;

  useHotkeys([['/', () => inputRef.current?.focus()]]);

  useEffect(() => {
    if (!name) return;
    void loadForSearch(name);
    return bindVectorsEvents();
  }, [name, loadForSearch]);


  useEffect(() => {
    if (!name || !state.q || !activeId) return;
    const current = useSearchStore.getState().response;
    void search({ workspace: name, query: state.q, mode: state.mode, filters: state.filters, k }, current !== null && current.versionId !== activeId);
    // `key` stands for the URL state; the index version changing (switch, rollback) asks again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, k, name, activeId, search]);

  useEffect(() => {
    if (!state.q) clear();
  }, [state.q, clear]);

  const apply = (next: Partial<SearchUrlState>): void => setParams(writeSearchParams({ ...state, ...next }));

  const submit = (): void => {
    const q = draft.trim();
    if (!q) {
      setDraftError('Type something to search for: words, a phrase or a code such as TCK-000123.');
      return;
    }
    setDraftError(null);
    if (q === state.q && name) void search({ workspace: name, query: q, mode: state.mode, filters: state.filters, k }, true);
    else apply({ q });
  };

  const focusResult = (position: number): void => {
    const el = listRef.current?.querySelector<HTMLElement>(`[data-result-position="${position}"]`);
    el?.focus();
  };
  const onKeyNav = (e: React.KeyboardEvent<HTMLButtonElement>, position: number): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusResult(position + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (position === 0) inputRef.current?.focus();
      else focusResult(position - 1);
    }
  };

  const shown = response && request && request.query === state.q && request.workspace === name ? response : null;
  const results = shown?.results ?? [];
  const { good, weak } = splitByFloor(results);
  // Weak matches stay folded away until asked for, per search.
  const [weakFor, setWeakFor] = useState<string | null>(null);
  const weakShown = weakFor === key;
  const filtered = hasFilters(state.filters);
  const noIndex = !!name && status !== null && !active;

  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Title order={2}>Search</Title>
        <Text c="dimmed" size="sm">
          {name ? `Find any record in “${name}” by meaning, by words or by an exact code.` : 'Find any record by meaning, by words or by an exact code.'}
        </Text>
      </div>

      {workspacesLoaded && !name && (
        <Alert variant="light" title="No workspace selected">
          Search works inside a workspace. Pick one in the header, or create one on the <Anchor component={Link} to="/data">Data</Anchor> page.
        </Alert>
      )}
      {statusError && (
        <Alert color="red" variant="light" title="Could not read the search index">
          {statusError}
        </Alert>
      )}

      {name && !noIndex && (
        <Paper withBorder radius="md" p="md">
          <form
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <Stack gap="sm">
              <Group gap="sm" align="flex-start" wrap="nowrap">
                <TextInput
                  ref={inputRef}
                  aria-label="Search query"
                  placeholder="Search tickets, conversations, deals… or a code like TCK-000123"
                  leftSection={<IconSearch size={18} />}
                  rightSection={loading ? <Loader size="xs" /> : <Kbd size="xs">/</Kbd>}
                  size="md"
                  style={{ flex: 1 }}
                  value={draft}
                  error={draftError}
                  onChange={(e) => {
                    setDraft(e.currentTarget.value);
                    if (draftError) setDraftError(null);
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'ArrowDown' && results.length) {
                      e.preventDefault();
                      focusResult(0);
                    }
                  }}
                />
                <SegmentedControl
                  aria-label="Search mode"
                  size="md"
                  value={state.mode}
                  onChange={(m) => apply({ mode: m as SearchMode })}
                  data={MODES.map((m) => ({
                    value: m.value,
                    label: (
                      <Tooltip label={m.hint} multiline w={260} openDelay={400}>
                        <span>{m.label}</span>
                      </Tooltip>
                    ),
                  }))}
                />
                <Button type="submit" size="md" loading={loading}>
                  Search
                </Button>
              </Group>
              <Filters state={state} onChange={(filters) => apply({ filters })} />
            </Stack>
          </form>
        </Paper>
      )}

      {name && status === null && !statusError && <Skeleton h={120} radius="md" />}
      {noIndex && <NoIndex workspace={name} />}

      {name && active && (
        <>
          {error && (
            <Alert color="red" variant="light" title="The search did not run" icon={<IconAlertTriangle size={18} />}>
              {error.message}
            </Alert>
          )}
          {!state.q && !error && (
            <Text size="sm" c="dimmed" data-testid="search-hint">
              Press <Kbd size="xs">Enter</Kbd> to search, <Kbd size="xs">↓</Kbd> to move into the results. Index v{active.id} · {active.embedder.label} · {active.chunks.toLocaleString('en-US')} chunks from{' '}
              {active.documents.toLocaleString('en-US')} records.
            </Text>
          )}
          {state.q && loading && !shown && (
            <Stack gap="sm" aria-busy>
              {[0, 1, 2].map((i) => (
                <Skeleton key={i} h={104} radius="md" />
              ))}
            </Stack>
          )}
          {shown && (
            <Stack gap="sm" ref={listRef}>
              <Group justify="space-between" gap="xs" data-testid="search-meta">
                <Text size="sm" c="dimmed">
                  <Text span fw={600} c="var(--mantine-color-text)">
                    {results.length === 0
                      ? 'No results'
                      : good.length === 0
                        ? 'No good match'
                        : `${good.length}${results.length === request?.k && weak.length === 0 ? '+' : ''} ${good.length === 1 ? (weak.length ? 'good match' : 'result') : weak.length ? 'good matches' : 'results'}`}
                  </Text>{' '}
                  for “{state.q}” · {shown.mode} · {fmtMs(shown.timings.totalMs)}
                </Text>
                <Group gap={6}>
                  <Text size="xs" c="dimmed" data-testid="answered-by">
                    Answered by index v{shown.versionId} · {shown.embedder.label}
                  </Text>
                  {shown.embedder.lexical && (
                    <Tooltip label="The built-in embedder compares words and spellings, not meaning. For meaning-level search, build an index with a provider or local embedding model." multiline w={300}>
                      <Badge size="xs" variant="light" color="gray">
                        lexical
                      </Badge>
                    </Tooltip>
                  )}
                  {shown.prefilterUsed && (
                    <Tooltip label="Large index: a binary prefilter picked candidates, rescored exactly.">
                      <Badge size="xs" variant="light" color="gray">
                        prefiltered
                      </Badge>
                    </Tooltip>
                  )}
                </Group>
              </Group>
              {name && good.length > 0 && <AnswerPanel key={`${name}\u0000${state.q}`} workspace={name} query={state.q} onOpen={(r) => setOpened(results.find((x) => x.sourceType === r.entity && x.entityId === r.id) ?? null)} />}
              {shown.warnings.map((w) => (
                <Alert key={w} color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
                  {w}
                </Alert>
              ))}
              {results.length === 0 || good.length === 0 ? (
                <Paper withBorder radius="md" py={36} data-testid="search-empty" data-reason={results.length ? 'floor' : 'none'}>
                  <EmptyState
                    icon={<IconSearchOff size={26} />}
                    variant="light"
                    title={results.length ? `No good match for “${state.q}”` : `Nothing matched “${state.q}”`}
                    description={
                      results.length
                        ? `No record shares a word with the query, and none is closer to it than nonsense queries get${shown.embedder.lexical ? ' (the built-in embedder compares spellings, not meaning)' : ''}. ${weak.length.toLocaleString('en-US')} weak ${weak.length === 1 ? 'neighbour is' : 'neighbours are'} below.`
                        : filtered
                          ? 'The filters may be too narrow: records outside the source types, dates or ids you chose are left out (records without a date never match a date range).'
                          : state.mode === 'keyword'
                            ? 'No record contains these words. Try fewer or other words, or Hybrid mode to also match by similarity.'
                            : 'Try other words, a record code, or Keyword mode for exact codes.'
                    }
                  >
                    {(filtered || weak.length > 0) && (
                      <EmptyState.Actions>
                        {weak.length > 0 && (
                          <Button variant="default" onClick={() => setWeakFor(weakShown ? null : key)}>
                            {weakShown ? 'Hide the weak matches' : `Show ${weak.length.toLocaleString('en-US')} weak ${weak.length === 1 ? 'match' : 'matches'}`}
                          </Button>
                        )}
                        {filtered && (
                          <Button variant="default" leftSection={<IconFilterOff size={16} />} onClick={() => apply({ filters: { sourceTypes: [], dateFrom: '', dateTo: '', entityIds: [] } })}>
                            Clear filters
                          </Button>
                        )}
                      </EmptyState.Actions>
                    )}
                  </EmptyState>
                </Paper>
              ) : (
                <ResultList results={good} onOpen={setOpened} onKeyNav={onKeyNav} busy={loading} label="Search results" />
              )}
              {good.length > 0 && weak.length > 0 && <FloorDivider count={weak.length} shown={weakShown} onToggle={() => setWeakFor(weakShown ? null : key)} />}
              {weak.length > 0 && weakShown && <ResultList results={weak} onOpen={setOpened} onKeyNav={onKeyNav} start={good.length} label="Weak matches" />}
              {good.length > 0 && weak.length === 0 && results.length === request?.k && k < MAX_RESULTS && (
                <Group justify="center">
                  <Button variant="default" loading={loading} onClick={() => setMore({ key, k: Math.min(MAX_RESULTS, k + PAGE_SIZE) })}>
                    Show more results
                  </Button>
                </Group>
              )}
            </Stack>
          )}
        </>
      )}

      {name && <RecordDrawer workspace={name} entity={opened?.sourceType ?? 'tickets'} id={opened?.entityId ?? null} onClose={() => setOpened(null)} />}
    </Stack>
  );
}
