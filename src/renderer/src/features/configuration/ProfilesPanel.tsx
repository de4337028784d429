import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useProfileStore } from '../../stores/profileStore';
import { selectIsAdmin, useSessionStore } from '../../stores/sessionStore';

/** Local profiles and roles: admins change configuration, members use the app. */
export function ProfilesPanel() {
  const isAdmin = useSessionStore(selectIsAdmin);
  const active = useSessionStore((s) => s.session?.profile.id);
  const { profiles, error, load, create, setRole, switchTo } = useProfileStore();
  const [name, setName] = useState('');
  const [role, setNewRole] = useState<'member' | 'admin'>('member');

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Profiles separate people who share this installation. Admins manage providers, budgets and profiles; members use the app. Roles are guard rails on a
        shared machine, not a substitute for OS accounts.
      </Text>
      {error && <Alert color="red">{error}</Alert>}
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
                    <Button size="xs" variant="default" onClick={() => void switchTo(p.id)}>
                      Switch to
                    </Button>
                  )}
                  {isAdmin && (
                    <Button size="xs" variant="subtle" onClick={() => void setRole(p.id, p.role === 'admin' ? 'member' : 'admin')}>
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
          <TextInput label="New profile" placeholder="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <SegmentedControl value={role} onChange={(v) => setNewRole(v as 'member' | 'admin')} data={['member', 'admin']} aria-label="Role of the new profile" />
          <Button onClick={() => void create(name, role).then((ok) => ok && setName(''))} disabled={!name.trim()}>
            Add profile
          </Button>
        </Group>
      )}
    </Stack>
  );
}
