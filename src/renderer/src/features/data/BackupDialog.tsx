import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { JobProgress } from '../../components/JobProgress';
import { useBackupStore } from '../../stores/backupStore';
import { selectJob, useJobsStore } from '../../stores/jobsStore';
import { useWorkspaceStore } from '../../stores/workspaceStore';
import { waitFor } from './DemoCreator';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Back up the current workspace (a verified copy while the app keeps running) and restore one of its backups into a
 * new workspace. Backups live in the app's backup folder; the CLI can also write and read files elsewhere.
 */
export function BackupDialog({ workspace, opened, onClose }: { workspace: string; opened: boolean; onClose: () => void }) {
  const { backups, error, load, backup, restore } = useBackupStore();
  const reloadWorkspaces = useWorkspaceStore((s) => s.load);
  const track = useJobsStore((s) => s.track);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJobsStore(selectJob(jobId));
  const running = job?.status === 'queued' || job?.status === 'running';
  const [restoring, setRestoring] = useState<string | null>(null);
  const [newName, setNewName] = useState('');

  useEffect(() => {
    if (opened) void load(workspace);
  }, [opened, workspace, load]);

  const follow = async (id: string, done: () => void): Promise<void> => {
    setJobId(id);
    const status = await waitFor(id, track);
    if (status === 'completed') done();
    void load(workspace);
  };

  const backUp = async (): Promise<void> => {
    const id = await backup(workspace);
    if (id) await follow(id, () => notifications.show({ color: 'teal', title: 'Backup verified', message: `A copy of “${workspace}” was written and checked.` }));
  };

  const startRestore = async (name: string): Promise<void> => {
    if (!restoring) return;
    const id = await restore(restoring, name);
    if (id)
      await follow(id, () => {
        void reloadWorkspaces();
        setRestoring(null);
        notifications.show({ color: 'teal', title: 'Backup restored', message: `It is now the workspace “${name}”.` });
      });
  };

  const failed = job && (job.status === 'failed' || job.status === 'interrupted') ? (job.error?.message ?? 'The job failed.') : null;
  return (
    <Modal opened={opened} onClose={() => !running && onClose()} title={`Backups of “${workspace}”`} size="lg" closeOnClickOutside={!running}>
      <Stack>
        <Text size="sm" c="dimmed">
          A backup is a copy of this workspace made while the app keeps running, checked after writing (integrity check and row counts). Restoring makes a new
          workspace: nothing is overwritten.
        </Text>
        {error && <Alert color="red">{error}</Alert>}
        {failed && <Alert color="red">{failed}</Alert>}
        <JobProgress job={job} label={job?.kind === 'workspace.restore' ? 'Restoring' : 'Backing up'} unit="pages" />
        <Group justify="space-between">
          <Text size="sm">{backups.length ? `${backups.length} backup${backups.length === 1 ? '' : 's'}` : 'No backups yet.'}</Text>
          <Button onClick={() => void backUp()} loading={running && job?.kind === 'workspace.backup'} disabled={running}>
            Back up now
          </Button>
        </Group>
        {backups.length > 0 && (
          <Table striped aria-label="Backups">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Made</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {backups.map((b) => (
                <Table.Tr key={b.backup}>
                  <Table.Td title={b.backup}>{new Date(b.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td>{mb(b.sizeBytes)}</Table.Td>
                  <Table.Td align="right">
                    <Button
                      size="xs"
                      variant="default"
                      disabled={running}
                      onClick={() => {
                        setRestoring(b.backup);
                        setNewName(`${workspace} restored`);
                      }}
                    >
                      Restore as…
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {restoring && (
          <Group align="flex-end">
            <TextInput label="New workspace name" value={newName} onChange={(e) => setNewName(e.currentTarget.value)} style={{ flex: 1 }} disabled={running} data-autofocus />
            <Button onClick={() => void startRestore(newName.trim())} disabled={!newName.trim() || running}>
              Restore
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
