import { ActionIcon, AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text, Title, Tooltip, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDeviceDesktop, IconMoon, IconSun } from '@tabler/icons-react';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSessionStore } from '../stores/sessionStore';
import { WorkspaceSwitcher } from '../components/WorkspaceSwitcher';
import { VoiceButton } from '../features/voice/VoiceButton';
import { NAV_ITEMS } from './navigation';

const NEXT_SCHEME = { auto: 'light', light: 'dark', dark: 'auto' } as const;
const SCHEME_ICON = { auto: IconDeviceDesktop, light: IconSun, dark: IconMoon } as const;
const SCHEME_LABEL = { auto: 'Theme: follows the system', light: 'Theme: light', dark: 'Theme: dark' } as const;

function ThemeButton() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const Icon = SCHEME_ICON[colorScheme];
  return (
    <Tooltip label={`${SCHEME_LABEL[colorScheme]} (click to change)`}>
      <ActionIcon variant="subtle" aria-label={SCHEME_LABEL[colorScheme]} onClick={() => setColorScheme(NEXT_SCHEME[colorScheme])}>
        <Icon size={18} />
      </ActionIcon>
    </Tooltip>
  );
}

export function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const profile = useSessionStore((s) => s.session?.profile);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={4}>Intelligence Desk</Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <WorkspaceSwitcher />
            <VoiceButton />
            {profile && (
              <Tooltip label={profile.role === 'admin' ? 'Admin: can change configuration' : 'Member'}>
                <Badge variant="light" color={profile.role === 'admin' ? 'indigo' : 'gray'}>
                  {profile.name}
                </Badge>
              </Tooltip>
            )}
            <ThemeButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          {NAV_ITEMS.map((item) => (
            <NavLink
              key={item.path}
              component={RouterLink}
              to={item.path}
              label={item.label}
              leftSection={<item.icon size={18} stroke={1.6} />}
              active={item.path === '/' ? pathname === '/' : pathname.startsWith(item.path)}
              onClick={close}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm">
            Local-first: your data stays on this machine.
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
