import { Kbd, Modal, Table, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { create } from 'zustand';
import { paletteShortcutLabel } from './CommandPalette';

const useHelp = create<{ opened: boolean }>(() => ({ opened: false }));
export const shortcutsHelp = { open: (): void => useHelp.setState({ opened: true }), close: (): void => useHelp.setState({ opened: false }) };

const SHORTCUTS: { keys: string[]; what: string; where: string }[] = [
  { keys: [paletteShortcutLabel()], what: 'Command palette: pages, workspaces, actions', where: 'Everywhere' },
  { keys: ['?'], what: 'This list', where: 'Everywhere but text fields' },
  { keys: ['/'], what: 'Focus the search box', where: 'Search' },
  { keys: ['↓', 'j'], what: 'Next row', where: 'Insights list, Data table' },
  { keys: ['↑', 'k'], what: 'Previous row', where: 'Insights list, Data table' },
  { keys: ['Home', 'End'], what: 'First or last row', where: 'Insights list, Data table' },
  { keys: ['Enter'], what: 'Open the row', where: 'Data table (Insights opens as you move)' },
  { keys: ['Esc'], what: 'Close a drawer or dialog', where: 'Everywhere' },
];

/** The keyboard shortcut sheet, opened with "?" or from the palette. */
export function ShortcutsHelp() {
  const opened = useHelp((s) => s.opened);
  // "?" is typed text in fields; useHotkeys ignores inputs, textareas and selects by default.
  useHotkeys([['shift+/', () => shortcutsHelp.open()]]);
  return (
    <Modal opened={opened} onClose={shortcutsHelp.close} title="Keyboard shortcuts" size="lg">
      <Table verticalSpacing={6} data-testid="shortcuts-help">
        <Table.Tbody>
          {SHORTCUTS.map((s) => (
            <Table.Tr key={s.what}>
              <Table.Td w={140}>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && <Text span size="xs" c="dimmed"> or </Text>}
                    <Kbd size="xs">{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{s.what}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {s.where}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
