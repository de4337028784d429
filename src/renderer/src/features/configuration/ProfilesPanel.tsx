import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useProfileStore } from '../../stores/profileStore';
import { selectIsAdmin, useSessionStore } from '../../stores/sessionStore';
import { PassphrasePrompt, type PassphraseRequest } from './PassphrasePrompt';

/** Local profiles and roles: admins change configuration, members use the app. */
export function ProfilesPanel() {
  const isAdmin = useSessionStore(selectIsAdmin);
  const active = useSessionStore((s) => s.session?.profile.id);
  const { profiles, error, load, create, setRole, switchTo, protect, unprotect } = useProfileStore();
  const [name, setName] = useState('');
  const [role, setNewRole] = useState<'member' | 'admin'>('member');
  const [ask, setAsk] = useState<PassphraseRequest | null>(null);
  const activeProfile = profiles.find((p) => p.id === active);

  const switchProfile = (id: string): void => {
    const p = profiles.find((x) => x.id === id);
    if (!p?.protected) {
      void switchTo(id);
      return;
    }
    setAsk({ title: `Switch to ${p.name}`, description: `${p.name} is protected. Type its passphrase to switch to it.`, submit: (pass) => switchTo(id, pass) });
  };
  const changeRole = (id: string, next: 'member' | 'admin'): void => {
    if (!activeProfile?.protected) {
      void setRole(id, next);
      return;
    }
    setAsk({ title: 'Change a role', description: `You act as ${activeProfile.name}, which is protected. Type its passphrase to change roles.`, submit: (pass) => setRole(id, next, pass) });
  };

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Profiles separate people who share this installation. Admins manage providers, budgets and profiles; members use the app. Roles are guard rails on a
        shared machine, not a substitute for OS accounts.
      </Text>
      {error && !ask && <Alert color="red">{error}</Alert>}
      <PassphrasePrompt request={ask} error={ask ? error : null} onClose={() => setAsk(null)} />
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
              <Table.Td>
                {p.role} {p.protected && <Badge size="xs" variant="light">passphrase</Badge>}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end">
                  {p.id !== active && (
                    <Button size="xs" variant="default" onClick={() => switchProfile(p.id)}>
                      Switch to
                    </Button>
                  )}
                  {isAdmin && (
                    <Button size="xs" variant="subtle" onClick={() => changeRole(p.id, p.role === 'admin' ? 'member' : 'admin')}>
                      Make {p.role === 'admin' ? 'member' : 'admin'}
                    </Button>
                  )}
                  {isAdmin && p.role === 'admin' && !p.protected && (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() =>
                        setAsk({
                          title: `Protect ${p.name}`,
                          description: 'Switching to this profile and changing roles as it will need this passphrase. It is stored only as a slow hash; it cannot be recovered if forgotten.',
                          isNew: true,
                          submit: (pass) => protect(p.id, pass),
                        })
                      }
                    >
                      Protect
                    </Button>
                  )}
                  {isAdmin && p.protected && (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setAsk({ title: `Remove the passphrase of ${p.name}`, description: 'Type its current passphrase.', submit: (pass) => unprotect(p.id, pass) })}
                    >
                      Remove passphrase
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
