import { useEffect, useState } from 'react';
import { Alert, Drawer, Loader, Stack, Table, Text } from '@mantine/core';
import { getEntity } from '@shared/entities';
import { call, errorMessage } from '../../api/client';
import { RecordAnalyze } from '../insights/AnalyzeNow';
import { formatCell } from './format';

/** The full record, long text included; opened from the table browser and from evidence links. */
export function RecordDrawer({ workspace, entity, id, onClose }: { workspace: string; entity: string; id: number | null; onClose: () => void }) {
  const spec = getEntity(entity);
  // Results are keyed by the record they belong to, so a stale answer never shows for another record.
  const [loaded, setLoaded] = useState<{ id: number; value: { record: Record<string, unknown>; title: string } | { error: string } } | null>(null);
  useEffect(() => {
    if (id === null) return;
    let live = true;
    call('data.get', { workspace, entity, id }).then(
      (r) => live && setLoaded({ id, value: r }),
      (e: unknown) => live && setLoaded({ id, value: { error: errorMessage(e) } }),
    );
    return () => {
      live = false;
    };
  }, [workspace, entity, id]);
  const state = loaded && loaded.id === id ? loaded.value : null;
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="lg" title={state && 'title' in state ? state.title : spec?.label}>
      {!state && <Loader />}
      {state && 'error' in state && <Alert color="red">{state.error}</Alert>}
      {state && 'record' in state && spec && id !== null && (
        <Stack gap="md">
          <RecordAnalyze workspace={workspace} entity={entity} id={id} />
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              {spec.columns.map((c) => (
                <Table.Tr key={c.name}>
                  <Table.Td w={180} valign="top">
                    <Text size="sm" c="dimmed">
                      {c.label}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                        {formatCell(c, state.record[c.name]) || '—'}
                      </Text>
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}
