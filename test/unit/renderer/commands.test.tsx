import { MantineProvider } from '@mantine/core';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, Outlet, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppCommands } from '../../../src/renderer/src/commands/AppCommands';
import { CommandPalette, filterCommands, palette } from '../../../src/renderer/src/commands/CommandPalette';
import { allCommands, isPaletteShortcut, registerCommands, shortcutClaimed, useCommandStore, type AppCommand } from '../../../src/renderer/src/commands/registry';
import { setTransport } from '../../../src/renderer/src/api/client';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { fakeTransport } from './fakeTransport';

const cmd = (id: string, label: string, group = 'Actions', extra: Partial<AppCommand> = {}): AppCommand => ({ id, label, group, run: vi.fn(), ...extra });

describe('the command registry', () => {
  beforeEach(() => useCommandStore.setState({ sources: {} }));

  it('adds, replaces and removes a source’s commands', () => {
    const off = registerCommands('copilot', [cmd('copilot.new', 'New conversation')]);
    registerCommands('app', [cmd('nav.data', 'Data', 'Go to')]);
    expect(allCommands(useCommandStore.getState().sources).map((c) => c.id)).toEqual(['copilot.new', 'nav.data']);
    registerCommands('copilot', [cmd('copilot.clear', 'Clear conversation')]);
    expect(allCommands(useCommandStore.getState().sources).map((c) => c.id)).toEqual(['copilot.clear', 'nav.data']);
    off(); // a stale unregister does not remove the replacement
    expect(allCommands(useCommandStore.getState().sources).map((c) => c.id)).toContain('copilot.clear');
  });

  it('finds commands by every word, labels that start with the text first', () => {
    const list = [cmd('a', 'Import CSV…', 'Actions', { keywords: ['upload'] }), cmd('b', 'Data', 'Go to'), cmd('c', 'Theme: dark', 'Appearance', { keywords: ['switch theme'] }), cmd('d', 'Data → Tickets', 'Go to')];
    expect(filterCommands('data', list).map((c) => c.id)).toEqual(['b', 'd']);
    expect(filterCommands('upload', list).map((c) => c.id)).toEqual(['a']);
    expect(filterCommands('switch dark', list).map((c) => c.id)).toEqual(['c']);
    expect(filterCommands('', list).map((c) => c.group)).toEqual(['Go to', 'Go to', 'Actions', 'Appearance']);
  });

  it('yields Ctrl/Cmd+K to a focused component that claims it', () => {
    expect(isPaletteShortcut({ key: 'k', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false })).toBe(true);
    expect(isPaletteShortcut({ key: 'K', ctrlKey: false, metaKey: true, altKey: false, shiftKey: false })).toBe(true);
    expect(isPaletteShortcut({ key: 'k', ctrlKey: true, metaKey: false, altKey: false, shiftKey: true })).toBe(false);
    const owner = document.createElement('div');
    owner.setAttribute('data-owns-shortcuts', 'mod+enter mod+k');
    const input = document.createElement('textarea');
    owner.append(input);
    expect(shortcutClaimed({ defaultPrevented: false, target: input })).toBe(true);
    expect(shortcutClaimed({ defaultPrevented: true, target: document.body })).toBe(true);
    expect(shortcutClaimed({ defaultPrevented: false, target: document.body })).toBe(false);
  });
});

describe('the command palette', () => {
  let fake: ReturnType<typeof fakeTransport>;
  beforeEach(async () => {
    useCommandStore.setState({ sources: {} });
    fake = fakeTransport({
      'workspace.list': () => ({
        workspaces: ['Acme', 'Globex'].map((name, i) => ({ id: `ws_${i}`, name, kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 1, sizeBytes: 1, demo: null, status: 'ready' })),
      }),
    });
    setTransport(fake.transport);
    await useWorkspaceStore.getState().load();
    useWorkspaceStore.getState().select('Acme');
  });
  afterEach(() => {
    act(() => palette.close());
    setTransport(null);
  });

  function renderShell(path = '/') {
    const Layout = () => (
      <>
        <CommandPalette />
        <AppCommands />
        <textarea aria-label="Composer" data-testid="composer" onKeyDown={(e) => e.key === 'k' && e.ctrlKey && e.preventDefault()} />
        <input aria-label="Plain field" />
        <Outlet />
      </>
    );
    const router = createMemoryRouter([{ path: '/', element: <Layout />, children: [{ path: '*', element: <div data-testid="page" /> }] }], { initialEntries: [path] });
    render(
      <MantineProvider>
        <RouterProvider router={router} />
      </MantineProvider>,
    );
    return router;
  }

  it('opens with Ctrl+K, even from a text field, and reaches every page and every workspace', async () => {
    const router = renderShell();
    fireEvent.keyDown(screen.getByLabelText('Plain field'), { key: 'k', ctrlKey: true });
    const search = await screen.findByRole('textbox', { name: 'Command' });
    for (const label of ['Dashboard', 'Insights', 'Search', 'Data', 'Configuration', 'Configuration → Providers', 'Switch to “Globex”', 'New demo workspace…', 'Import CSV…', 'Run a scan…', 'Add a provider…', 'Theme: dark']) {
      // Descriptions are part of an action's accessible name; the label starts it.
      expect(screen.getAllByRole('button', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).length).toBeGreaterThan(0);
    }
    fireEvent.change(search, { target: { value: 'globex' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Switch to “Globex”' }));
    expect(useWorkspaceStore.getState().current).toBe('Globex');
    act(() => palette.open());
    fireEvent.change(await screen.findByRole('textbox', { name: 'Command' }), { target: { value: 'import' } });
    // The typed text is highlighted inside the label, so match the button by its whole text.
    const byText = async (text: string) => (await screen.findAllByRole('button')).find((b) => b.textContent === text)!;
    fireEvent.click(await byText('Import CSV…'));
    await waitFor(() => expect(router.state.location.pathname + router.state.location.search).toBe('/data?import=1'));
  });

  it('offers to search the records for whatever was typed', async () => {
    const router = renderShell();
    act(() => palette.open());
    fireEvent.change(await screen.findByRole('textbox', { name: 'Command' }), { target: { value: 'TCK-000575' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Search records for “TCK-000575”' }));
    await waitFor(() => expect(router.state.location.search).toBe('?q=TCK-000575'));
  });

  it('leaves Ctrl+K to a focused component that handles it (the Copilot composer)', async () => {
    renderShell();
    fireEvent.keyDown(screen.getByTestId('composer'), { key: 'k', ctrlKey: true });
    // Give the palette every chance to open: it must not.
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(screen.queryByRole('textbox', { name: 'Command' })).toBeNull();
  });

  it('lists commands other features register, while they are mounted', async () => {
    renderShell();
    const off = registerCommands('copilot', [cmd('copilot.new', 'New conversation', 'Copilot')]);
    act(() => palette.open());
    expect(await screen.findByRole('button', { name: 'New conversation' })).toBeTruthy();
    act(() => off());
    await waitFor(() => expect(screen.queryByRole('button', { name: 'New conversation' })).toBeNull());
  });
});
