import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PolicyState } from '../../../../src/shared/contract';
import { AppError } from '../../../../src/shared/errors';
import { BUILT_IN as CORE_BUILT_IN } from '../../../../src/main/core/gateway/policyConfig';
import { setTransport } from '../../../../src/renderer/src/api/client';
import { PoliciesPanel } from '../../../../src/renderer/src/features/configuration/policies/PoliciesPanel';
import { readEntries, setUseCaseField } from '../../../../src/renderer/src/features/configuration/policies/policyDoc';
import { BUILT_IN, inherited } from '../../../../src/renderer/src/features/configuration/policies/resolve';
import { usePoliciesStore, VALIDATE_DEBOUNCE_MS } from '../../../../src/renderer/src/stores/policiesStore';
import { useProvidersStore } from '../../../../src/renderer/src/stores/providersStore';
import { fakeTransport } from '../fakeTransport';
import { provider, renderHub, selectWorkspace, signIn } from './helpers';

const YAML = `# Policies for Acme
version: 1
use_cases:
  default:
    temperature: 0.2 # keep it calm
    fallback: ['@primary']
  copilot.chat:
    max_tokens: 2000
`;

function policyState(yaml = YAML, rev = 3): PolicyState {
  return {
    workspace: 'Acme',
    yaml,
    rev,
    source: 'workspace',
    updatedAt: '2026-01-01T00:00:00Z',
    updatedBy: 'Ada',
    policies: [
      {
        useCase: 'default',
        label: 'Anything without its own policy',
        from: ['default'],
        model: null,
        temperature: 0.2,
        maxTokens: 1024,
        topP: null,
        timeoutMs: 60000,
        retries: 2,
        backoff: { baseMs: 250, maxMs: 8000 },
        fallback: [{ role: 'primary' }],
        chain: [{ endpoint: 'corp', kind: 'openai-compatible', model: 'gpt-4o-mini', breaker: 'closed' }],
        cache: { ttlSeconds: 0, sampled: false, streaming: false },
        stream: true,
        budget: { perRequest: null, daily: null },
      },
    ],
    issues: [],
  };
}

/** CodeMirror measures text with Range rects, which jsdom does not implement. */
beforeAll(() => {
  const rect = { x: 0, y: 0, top: 0, left: 0, bottom: 16, right: 8, width: 8, height: 16, toJSON: () => ({}) };
  Range.prototype.getClientRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect = () => rect as DOMRect;
});

function editor(): EditorView {
  const content = screen.getByRole('textbox', { name: 'Policy YAML' });
  return EditorView.findFromDOM(content.closest('.cm-editor') as HTMLElement)!;
}

describe('policy document helpers', () => {
  it('edits one key and keeps comments and the rest of the document', () => {
    const next = setUseCaseField(YAML, 'copilot.chat', ['temperature'], 0.7);
    expect(next).toContain('# Policies for Acme');
    expect(next).toContain('temperature: 0.2 # keep it calm');
    expect(readEntries(next)).toMatchObject({ ok: true, entries: { 'copilot.chat': { max_tokens: 2000, temperature: 0.7 } } });
    const nested = setUseCaseField(next, 'copilot.chat', ['budget', 'daily', 'usd'], 2);
    expect(nested).toContain('budget: { daily: { usd: 2 } }');
    // Clearing the only key of a nested map removes the map too.
    expect(setUseCaseField(nested, 'copilot.chat', ['budget', 'daily', 'usd'], undefined)).not.toContain('budget');
  });

  it('resolves inherited values like the core, from the same built-in defaults', () => {
    expect(BUILT_IN).toEqual({ ...CORE_BUILT_IN, fallback: ['@primary', '@secondary', '@tertiary'] });
    expect(CORE_BUILT_IN.fallback).toEqual([{ role: 'primary' }, { role: 'secondary' }, { role: 'tertiary' }]);
    const entries = { default: { temperature: 0.2, max_tokens: 1000 }, 'persona.*': { temperature: 0 }, 'persona.ticket_analyst': { max_tokens: 50 } };
    const base = inherited(entries, 'persona.ticket_analyst');
    expect(base.temperature).toBe(0);
    expect(base.maxTokens).toBe(1000);
    expect(inherited(entries, 'default').maxTokens).toBe(BUILT_IN.maxTokens);
  });
});

describe('Policies tab', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let saved: PolicyState;
  beforeEach(() => {
    signIn('admin');
    selectWorkspace('Acme');
    saved = policyState();
    usePoliciesStore.setState({ workspace: null, saved: null, draft: '', issues: [], checkedDraft: null, checking: false, refused: null, changedElsewhere: false, saving: false });
    useProvidersStore.setState({ providers: [provider({ name: 'corp' })], loaded: true });
    fake = fakeTransport({
      'policies.get': () => saved,
      'providers.list': () => ({ providers: [provider({ name: 'corp' })] }),
      'policies.validate': (input: { yaml: string }) => {
        const m = /temperature: (\d+(\.\d+)?)/.exec(input.yaml.split('copilot.chat:')[1] ?? '');
        if (m && Number(m[1]) > 2) {
          const line = input.yaml.split('\n').findIndex((l) => l.includes(`temperature: ${m[1]}`)) + 1;
          return { ok: false, issues: [{ line, column: 5, path: 'use_cases.copilot.chat.temperature', message: 'must be between 0 and 2', severity: 'error' }] };
        }
        return { ok: true, issues: [] };
      },
      'policies.set': (input: { yaml: string }) => {
        if (input.yaml.includes('version: 2')) {
          throw new AppError('validation', 'The policy document has 1 error; the policy in force stays as it was. Line 2: version must be 1', {
            issues: [{ line: 2, column: 10, path: 'version', message: 'must be 1', severity: 'error' }],
          });
        }
        saved = policyState(input.yaml, saved.rev + 1);
        return saved;
      },
    });
    setTransport(fake.transport);
  });
  afterEach(() => setTransport(null));

  it('writes form edits into the YAML, keeping its comments, and checks them as you type', async () => {
    renderHub(<PoliciesPanel />);
    fireEvent.click(await screen.findByText('Copilot chat'));
    const temperature = await screen.findByRole('textbox', { name: 'Temperature' });
    expect((temperature as HTMLInputElement).placeholder).toContain('0.2 (inherited)');
    fireEvent.change(temperature, { target: { value: '0.7' } });
    await waitFor(() => expect(usePoliciesStore.getState().draft).toContain('temperature: 0.7'));
    expect(usePoliciesStore.getState().draft).toContain('# keep it calm');
    await waitFor(() => expect(fake.calls.filter((c) => c.route === 'policies.validate').length).toBe(1), { timeout: VALIDATE_DEBOUNCE_MS + 2000 });
    fireEvent.click(await screen.findByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'policies.set')).toBe(true));
    expect(fake.calls.find((c) => c.route === 'policies.set')!.input.yaml).toContain('temperature: 0.7');
    expect(await screen.findByText(/revision 4/)).toBeTruthy();
  });

  it('flags an out-of-range value next to the field at once, and the core’s line-numbered check too', async () => {
    renderHub(<PoliciesPanel />);
    fireEvent.click(await screen.findByText('Copilot chat'));
    fireEvent.change(await screen.findByRole('textbox', { name: 'Temperature' }), { target: { value: '5' } });
    expect(await screen.findByText('Use a temperature between 0 and 2.')).toBeTruthy();
    expect(await screen.findByText(/This draft has 1 error and cannot be saved/)).toBeTruthy();
    expect(screen.getByText(/Model calls keep using the policies in force \(revision 3\)/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows a YAML error with its line number, inline in the editor and in the problem list', async () => {
    renderHub(<PoliciesPanel />);
    await screen.findByText('Copilot chat');
    fireEvent.click(screen.getByText('YAML'));
    await screen.findByRole('textbox', { name: 'Policy YAML' });
    const view = editor();
    const doc = view.state.doc.toString();
    const at = doc.indexOf('max_tokens: 2000');
    view.dispatch({ changes: { from: at, to: at, insert: 'temperature: 9\n    ' } });
    const issue = await screen.findByTestId('policy-issue');
    expect(issue.textContent).toContain('Line 8');
    expect(issue.textContent).toContain('must be between 0 and 2');
    // The editor marks the line too.
    await waitFor(() => expect(document.querySelector('.cm-lintRange-error')).not.toBeNull());
    expect(screen.getByTestId('policy-check-status').textContent).toContain('1 error');
  });

  it('keeps the saved document in force when the core refuses a save', async () => {
    renderHub(<PoliciesPanel />);
    await screen.findByText('Copilot chat');
    // A problem the quick check does not see, but the save does.
    usePoliciesStore.setState({ draft: YAML.replace('version: 1', 'version: 2'), checkedDraft: YAML.replace('version: 1', 'version: 2'), issues: [] });
    fireEvent.click(await screen.findByRole('button', { name: 'Save' }));
    const refused = await screen.findByTestId('policy-refused');
    expect(refused.textContent).toContain('the policies in force are unchanged');
    expect(refused.textContent).toContain('Line 2');
    expect(usePoliciesStore.getState().saved!.rev).toBe(3);
    expect(screen.getByTestId('policy-in-force').textContent).toContain('revision 3');
  });

  it('checks only the latest text: rapid edits make one validation call', async () => {
    usePoliciesStore.setState({ workspace: 'Acme', saved, draft: YAML, checkedDraft: YAML });
    const { setDraft } = usePoliciesStore.getState();
    setDraft(`${YAML}#1`);
    setDraft(`${YAML}#2`);
    setDraft(`${YAML}#3`);
    await waitFor(() => expect(usePoliciesStore.getState().checkedDraft).toBe(`${YAML}#3`));
    const checks = fake.calls.filter((c) => c.route === 'policies.validate');
    expect(checks).toHaveLength(1);
    expect(checks[0]!.input.yaml).toBe(`${YAML}#3`);
  });

  it('shows a warning as advice under its entry, not as an error, and still allows saving', async () => {
    const yaml = YAML.replace("fallback: ['@primary']", "fallback: ['@primary', '@secondary']");
    saved = { ...policyState(yaml), issues: [{ line: 6, column: 27, path: 'use_cases.default.fallback.1', message: 'no endpoint has the role secondary yet; this entry is skipped until one does', severity: 'warning' }] };
    renderHub(<PoliciesPanel />);
    const warning = await screen.findByTestId('fallback-warning');
    expect(warning.textContent).toContain('Line 6: no endpoint has the role secondary yet');
    expect(screen.getByRole('combobox', { name: 'Fallback 2 endpoint' }).getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.getByTestId('policy-check-status').textContent).toBe('No errors · 1 warning');
    fireEvent.click(screen.getByRole('button', { name: 'Remove fallback 2' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(false));
  });

  it('is read-only for members', async () => {
    signIn('member');
    renderHub(<PoliciesPanel />);
    fireEvent.click(await screen.findByText('Copilot chat'));
    expect(screen.getByText('Read-only for members')).toBeTruthy();
    expect(((await screen.findByRole('textbox', { name: 'Temperature' })) as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    const nav = screen.getByRole('navigation', { name: 'Use cases' });
    expect(within(nav).getByText('Default')).toBeTruthy();
  });
});
