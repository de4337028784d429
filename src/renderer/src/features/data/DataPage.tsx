import { useEffect, useState } from 'react';
import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconArchive, IconDatabasePlus, IconFileImport, IconServer } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { getEntity } from '@shared/entities';
import { useDataStore } from '../../stores/dataStore';
import { selectCurrentWorkspace, useWorkspaceStore, workspaceWhere } from '../../stores/workspaceStore';
import { DemoCreator } from './DemoCreator';
import { BackupDialog } from './BackupDialog';
import { EntityCounts } from './EntityCounts';
import { ImportWizard } from './ImportWizard';
import { RecordDrawer } from './RecordDrawer';
import type { RecordTarget } from './RecordSections';
import { TableBrowser, type RefFilter } from './TableBrowser';
import { TeamWorkspaceDialog } from './TeamWorkspaceDialog';
import classes from './data.module.css';

/** "ticket_id:575" or "entity_id:12:tickets" → a filter on the rows that point at one record. */
export function parseRefParam(value: string | null, table: string): RefFilter | null {
  if (!value) return null;
  const [column, id, entity] = value.split(':');
  const spec = getEntity(table);
  const col = spec?.columns.find((c) => c.name === column && (c.ref || c.refTypeColumn));
  const n = Number(id);
  if (!col || !Number.isInteger(n) || n < 1) return null;
  if (col.refTypeColumn) return entity && getEntity(entity) ? { column: col.name, id: n, entity } : null;
  return { column: col.name, id: n };
}

/**
 * The Data page. Its state is the address: #/data?table=tickets (the table), &entity=tickets&id=12 (the record in
 * the drawer; evidence links elsewhere use this), &ref=ticket_id:575 (rows pointing at one record), &import=1 and
 * &create=1 (the dialogs, so the command palette and links can open them).
 */
export function DataPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const loaded = useWorkspaceStore((s) => s.loaded);
  const counts = useDataStore((s) => s.counts);
  const loadCounts = useDataStore((s) => s.loadCounts);
  const error = useDataStore((s) => s.error);
  const [params, setParams] = useSearchParams();
  const linkedEntity = params.get('entity');
  const linkedId = Number(params.get('id'));
  const linked = linkedEntity && getEntity(linkedEntity) && Number.isInteger(linkedId) && linkedId > 0 ? { entity: linkedEntity, id: linkedId } : null;
  const tableParam = params.get('table');
  // A link that names only a record shows its table too.
  const table = tableParam && getEntity(tableParam) ? tableParam : (linked?.entity ?? 'tickets');
  const refFilter = parseRefParam(params.get('ref'), table);
  const [demoOpen, setDemoOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [backupOpen, setBackupOpen] = useState(false);
  const [teamOpen, setTeamOpen] = useState(false);

  const update = (patch: Record<string, string | null>, replace = false): void => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace });
  };
  const openRecord = (t: RecordTarget, replace = false): void => update({ table, entity: t.entity, id: String(t.id) }, replace);
  const closeRecord = (): void => update({ entity: null, id: null }, true);

  // The header's "New workspace…" and the palette link here with ?create=1 or ?import=1.
  const demoOpened = demoOpen || params.get('create') === '1';
  const importOpened = importOpen || params.get('import') === '1';
  const closeDemo = (): void => {
    setDemoOpen(false);
    if (params.has('create')) update({ create: null }, true);
  };
  // ?team=1 opens the team workspace dialog (the workspace switcher links here).
  const teamOpened = teamOpen || params.get('team') === '1';
  const closeTeam = (): void => {
    setTeamOpen(false);
    if (params.has('team')) update({ team: null }, true);
  };
  const closeImport = (): void => {
    setImportOpen(false);
    if (params.has('import')) update({ import: null }, true);
  };

  useEffect(() => {
    if (workspace?.status === 'ready') void loadCounts(workspace.name);
  }, [workspace?.name, workspace?.status, loadCounts]);

  const ready = workspace?.status === 'ready' ? workspace.name : null;
  return (
    <div className={ready ? classes.page : undefined}>
      <Group justify="space-between" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={2}>Data</Title>
          <Text c="dimmed" size="sm" truncate="end">
            {workspace ? `Workspace “${workspace.name}” · ${workspaceWhere(workspace)}` : 'No workspace yet'}
          </Text>
        </div>
        <Group wrap="nowrap" gap="xs">
          <Button variant="default" leftSection={<IconDatabasePlus size={16} />} onClick={() => setDemoOpen(true)}>
            Create demo workspace
          </Button>
          <Button variant="default" leftSection={<IconArchive size={16} />} onClick={() => setBackupOpen(true)} disabled={!ready || workspace?.kind !== 'sqlite'} title={workspace?.kind === 'postgres' ? 'PostgreSQL workspaces are backed up on the server (pg_dump)' : undefined}>
            Backups
          </Button>
          <Button variant="default" leftSection={<IconServer size={16} />} onClick={() => setTeamOpen(true)}>
            Team workspace
          </Button>
          <Button leftSection={<IconFileImport size={16} />} onClick={() => setImportOpen(true)} disabled={!ready}>
            Import CSV
          </Button>
        </Group>
      </Group>
      <Stack gap="md">
        {loaded && !workspace && (
          <Alert variant="light" title="Start with a workspace" mt="md">
            A workspace is one organisation’s data in its own local database. Create a demo workspace to explore, or create an empty one and import your CSV
            exports.
          </Alert>
        )}
        {error && <Alert color="red">{error}</Alert>}
      </Stack>
      {ready && (
        <>
          <div className={classes.body}>
            <div className={classes.sidebar}>
              <EntityCounts counts={counts} selected={table} onSelect={(key) => update({ table: key, ref: null, entity: null, id: null })} />
            </div>
            <TableBrowser
              key={`${table}|${params.get('ref') ?? ''}`}
              workspace={ready}
              entity={table}
              refFilter={refFilter}
              onClearRef={() => update({ ref: null })}
              onOpen={(entity, id) => openRecord({ entity, id })}
            />
          </div>
          <RecordDrawer workspace={ready} entity={linked?.entity ?? table} id={linked?.id ?? null} onClose={closeRecord} onNavigate={(t) => openRecord(t, true)} />
          <BackupDialog workspace={ready} opened={backupOpen} onClose={() => setBackupOpen(false)} />
          <ImportWizard workspace={ready} opened={importOpened} onClose={closeImport} initialEntity={getEntity(table)?.importable ? table : 'accounts'} />
        </>
      )}
      <DemoCreator opened={demoOpened} onClose={closeDemo} />
      <TeamWorkspaceDialog opened={teamOpened} onClose={closeTeam} />
    </div>
  );
}
