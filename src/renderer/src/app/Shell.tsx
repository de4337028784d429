import { ActionIcon, AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text, Title, Tooltip, useMantineColorScheme } from '@mantine/core';
import { useDisclosure, useLocalStorage, useMediaQuery } from '@mantine/hooks';
import { IconCommand, IconDeviceDesktop, IconLayoutSidebarLeftCollapse, IconLayoutSidebarLeftExpand, IconMoon, IconSun } from '@tabler/icons-react';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { AppCommands } from '../commands/AppCommands';
import { CommandPalette, palette, paletteShortcutLabel } from '../commands/CommandPalette';
import { ShortcutsHelp } from '../commands/ShortcutsHelp';
import { useSessionStore } from '../stores/sessionStore';
import { WorkspaceSwitcher } from '../components/WorkspaceSwitcher';
import { VoiceButton } from '../features/voice/VoiceButton';
import { NAV_ITEMS } from './navigation';
import classes from './shell.module.css';

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

/** Below this width the sidebar shows icons only unless the user pinned it open (G3: usable at 1024×700). */
const WIDE = '(min-width: 1200px)';
const NAV_WIDE = 220;
const NAV_NARROW = 64;

export function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const profile = useSessionStore((s) => s.session?.profile);
  const wide = useMediaQuery(WIDE, true, { getInitialValueInEffect: false });
  // null: follow the window width; true/false: the user's own choice, kept across launches.
  const [pinned, setPinned] = useLocalStorage<boolean | null>({ key: 'intelligence-desk.nav-expanded', defaultValue: null });
  const expanded = pinned ?? wide;
  const mobile = useMediaQuery('(max-width: 767px)');
  // The mobile drawer always shows labels.
  const labels = expanded || Boolean(mobile);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: expanded ? NAV_WIDE : NAV_NARROW, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md" className={classes.shell}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={4} style={{ whiteSpace: 'nowrap' }}>
              Intelligence Desk
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Tooltip label={`Command palette (${paletteShortcutLabel()})`}>
              <ActionIcon variant="subtle" aria-label="Open the command palette" onClick={() => palette.open()} data-testid="palette-button">
                <IconCommand size={18} />
              </ActionIcon>
            </Tooltip>
            <WorkspaceSwitcher />
            <VoiceButton />
            {profile && (
              <Tooltip label={profile.role === 'admin' ? 'Admin: can change configuration' : 'Member'}>
                <Badge variant="light" color={profile.role === 'admin' ? 'indigo' : 'gray'} maw={140}>
                  {profile.name}
                </Badge>
              </Tooltip>
            )}
            <ThemeButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" data-testid="navbar" data-expanded={labels || undefined}>
        <AppShell.Section grow component={ScrollArea}>
          {NAV_ITEMS.map((item) => {
            const active = item.path === '/' ? pathname === '/' : pathname.startsWith(item.path);
            const link = (
              <NavLink
                key={item.path}
                component={RouterLink}
                to={item.path}
                label={labels ? item.label : undefined}
                aria-label={labels ? undefined : item.label}
                leftSection={<item.icon size={labels ? 18 : 20} stroke={1.6} />}
                active={active}
                onClick={close}
                className={labels ? undefined : classes.iconLink}
              />
            );
            return labels ? (
              link
            ) : (
              <Tooltip key={item.path} label={item.label} position="right" withArrow openDelay={200}>
                {link}
              </Tooltip>
            );
          })}
        </AppShell.Section>
        <AppShell.Section visibleFrom="sm">
          <Group justify={labels ? 'space-between' : 'center'} wrap="nowrap" gap={4}>
            {labels && (
              <Text size="xs" c="dimmed" px="sm">
                Local-first: your data stays on this machine.
              </Text>
            )}
            <Tooltip label={expanded ? 'Collapse the sidebar' : 'Expand the sidebar'} position="right">
              <ActionIcon variant="subtle" color="gray" aria-label={expanded ? 'Collapse the sidebar' : 'Expand the sidebar'} onClick={() => setPinned(!expanded)}>
                {expanded ? <IconLayoutSidebarLeftCollapse size={18} /> : <IconLayoutSidebarLeftExpand size={18} />}
              </ActionIcon>
            </Tooltip>
          </Group>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main className={classes.main}>
        <Outlet />
      </AppShell.Main>
      <CommandPalette />
      <AppCommands />
      <ShortcutsHelp />
    </AppShell>
  );
}
