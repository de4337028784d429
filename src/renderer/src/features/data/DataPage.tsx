import { useEffect, useState } from 'react';
import { Alert, Button, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconDatabasePlus, IconFileImport } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { getEntity } from '@shared/entities';
import { useDataStore } from '../../stores/dataStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../stores/workspaceStore';
import { DemoCreator } from './DemoCreator';
import { EntityCounts } from './EntityCounts';
import { ImportWizard } from './ImportWizard';
import { RecordDrawer } from './RecordDrawer';
import { TableBrowser } from './TableBrowser';

export function DataPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const loaded = useWorkspaceStore((s) => s.loaded);
  const counts = useDataStore((s) => s.counts);
  const loadCounts = useDataStore((s) => s.loadCounts);
  const error = useDataStore((s) => s.error);
  const [params, setParams] = useSearchParams();
  // Evidence links elsewhere in the app open a record here: #/data?entity=tickets&id=12.
  const linkedEntity = params.get('entity');
  const linkedId = Number(params.get('id'));
  const linked = linkedEntity && getEntity(linkedEntity) && Number.isInteger(linkedId) && linkedId > 0 ? { entity: linkedEntity, id: linkedId } : null;
  const [entity, setEntity] = useState(linkedEntity && getEntity(linkedEntity) ? linkedEntity : 'tickets');
  // A new link switches the table to the linked record's type (adjusting state while rendering, not in an effect).
  const [seenLink, setSeenLink] = useState(linked?.entity ?? null);
  if ((linked?.entity ?? null) !== seenLink) {
    setSeenLink(linked?.entity ?? null);
    if (linked) setEntity(linked.entity);
  }
  const closeLinked = (): void => {
    const next = new URLSearchParams(params);
    next.delete('id');
    next.delete('entity');
    setParams(next, { replace: true });
  };
  const [demoOpen, setDemoOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  // The header's "New workspace…" links here with ?create=1.
  const demoOpened = demoOpen || params.get('create') === '1';
  const closeDemo = (): void => {
    setDemoOpen(false);
    if (params.has('create')) setParams({}, { replace: true });
  };

  useEffect(() => {
    if (workspace?.status === 'ready') void loadCounts(workspace.name);
  }, [workspace?.name, workspace?.status, loadCounts]);

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={2}>Data</Title>
          <Text c="dimmed" size="sm">
            {workspace ? `Workspace “${workspace.name}”` : 'No workspace yet'}
          </Text>
        </div>
        <Group>
          <Button variant="default" leftSection={<IconDatabasePlus size={16} />} onClick={() => setDemoOpen(true)}>
            Create demo workspace
          </Button>
          <Button leftSection={<IconFileImport size={16} />} onClick={() => setImportOpen(true)} disabled={!workspace || workspace.status !== 'ready'}>
            Import CSV
          </Button>
        </Group>
      </Group>
      {loaded && !workspace && (
        <Alert variant="light" title="Start with a workspace">
          A workspace is one organisation’s data in its own local database. Create a demo workspace to explore, or create an empty one and import your CSV
          exports.
        </Alert>
      )}
      {error && <Alert color="red">{error}</Alert>}
      {workspace?.status === 'ready' && (
        <>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 3 }}>
              <EntityCounts counts={counts} selected={entity} onSelect={setEntity} height={560} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 9 }}>
              <TableBrowser workspace={workspace.name} entity={entity} onEntityChange={setEntity} />
            </Grid.Col>
          </Grid>
          <RecordDrawer workspace={workspace.name} entity={linked?.entity ?? entity} id={linked?.id ?? null} onClose={closeLinked} />
          <ImportWizard workspace={workspace.name} opened={importOpen} onClose={() => setImportOpen(false)} initialEntity={entity} />
        </>
      )}
      <DemoCreator opened={demoOpened} onClose={closeDemo} />
    </Stack>
  );
}
