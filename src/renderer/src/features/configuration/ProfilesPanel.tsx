import { useEffect, useState } from 'react';
import { Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Profile } from '@shared/contract';
import { call, errorMessage } from '../../api/client';
import { selectIsAdmin, useSessionStore } from '../../stores/sessionStore';

/** Local profiles and roles: admins change configuration, members use the app. */
export function ProfilesPanel() {
  const isAdmin = useSessionStore(selectIsAdmin);
  const active = useSessionStore((s) => s.session?.profile.id);
  const reloadSession = useSessionStore((s) => s.load);
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [error, setError] = useState<string | null>(null);

  const load = async (): Promise<void> => setProfiles((await call('profiles.list', {})).profiles);
  useEffect(() => {
    void load();
  }, []);

  const create = async (): Promise<void> => {
    try {
      await call('profiles.create', { name, role });
      setName('');
      setError(null);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
      await load();
      await reloadSession();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not change the profile', message: errorMessage(e) });
    }
  };

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Profiles separate people who share this installation. Admins manage providers, budgets and profiles; members use the app. Roles are guard rails on a
        shared machine, not a substitute for OS accounts.
      </Text>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {profiles.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                {p.name} {p.id === active && <Badge size="xs">active</Badge>}
              </Table.Td>
              <Table.Td>{p.role}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end">
                  {p.id !== active && (
                    <Button size="xs" variant="default" onClick={() => void act(() => call('profiles.switch', { id: p.id }))}>
                      Switch to
                    </Button>
                  )}
                  {isAdmin && (
                    <Button size="xs" variant="subtle" onClick={() => void act(() => call('profiles.setRole', { id: p.id, role: p.role === 'admin' ? 'member' : 'admin' }))}>
                      Make {p.role === 'admin' ? 'member' : 'admin'}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {isAdmin && (
        <Group align="flex-end">
          <TextInput label="New profile" placeholder="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} />
          <SegmentedControl value={role} onChange={(v) => setRole(v as 'member' | 'admin')} data={['member', 'admin']} />
          <Button onClick={() => void create()} disabled={!name.trim()}>
            Add profile
          </Button>
        </Group>
      )}
    </Stack>
  );
}
