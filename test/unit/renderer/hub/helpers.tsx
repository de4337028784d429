import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { ProviderInfo } from '../../../../src/shared/contract';
import { useSessionStore } from '../../../../src/renderer/src/stores/sessionStore';
import { useWorkspaceStore } from '../../../../src/renderer/src/stores/workspaceStore';

// jsdom lacks document.fonts (Mantine's autosize Textarea listens to it).
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', { configurable: true, value: { addEventListener: () => {}, removeEventListener: () => {}, ready: Promise.resolve() } });
}

export function renderHub(ui: ReactNode, path = '/configuration') {
  const router = createMemoryRouter([{ path: '*', element: ui }], { initialEntries: [path] });
  return render(
    <MantineProvider>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
}

export function signIn(role: 'admin' | 'member' = 'admin'): void {
  useSessionStore.setState({
    session: { profile: { id: 'pr_1', name: role === 'admin' ? 'Ada' : 'Max', role, createdAt: '2026-01-01T00:00:00Z' }, host: 'test', appVersion: '0.1.0', dataDir: '/tmp/x' },
    error: null,
  });
}

export function selectWorkspace(name = 'Acme'): void {
  useWorkspaceStore.setState({ workspaces: [], current: name, loaded: true, error: null });
}

export function provider(over: Partial<ProviderInfo> = {}): ProviderInfo {
  return {
    id: 'ep_1',
    name: 'corp',
    kind: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:9999/v1',
    model: 'gpt-4o-mini',
    embeddingModel: null,
    transcriptionModel: null,
    role: 'primary',
    enabled: true,
    apiKeyMasked: 'sk-…cdef',
    headersMasked: {},
    apiVersion: null,
    modelPath: null,
    contextSize: null,
    threads: null,
    models: [],
    lastTest: null,
    breaker: 'closed',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}
