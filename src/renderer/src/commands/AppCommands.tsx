import { useMemo } from 'react';
import { useMantineColorScheme } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconBrain,
  IconDatabasePlus,
  IconDatabaseSearch,
  IconDeviceDesktop,
  IconFileImport,
  IconKeyboard,
  IconMoon,
  IconPlayerPlay,
  IconPlugConnected,
  IconRadar,
  IconSettings,
  IconSparkles,
  IconSun,
  IconSwitchHorizontal,
  IconTable,
} from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { call, errorMessage } from '../api/client';
import { ENTITIES } from '@shared/entities';
import { NAV_ITEMS } from '../app/navigation';
import { HUB_TABS } from '../features/configuration/hubTabs';
import { useWorkspaceStore } from '../stores/workspaceStore';
import { useCommands, type AppCommand } from './registry';
import { shortcutsHelp } from './ShortcutsHelp';

const CONFIG_TABS = [{ value: 'profiles', label: 'Profiles' }, ...HUB_TABS.map((t) => ({ value: t.value, label: t.label }))];

/** Starts work that needs the current workspace, or says why it cannot. */
function withWorkspace(run: (workspace: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const workspace = useWorkspaceStore.getState().current;
    if (!workspace) {
      notifications.show({ color: 'yellow', title: 'No workspace yet', message: 'Create a demo workspace or import data first (Data page).' });
      return;
    }
    try {
      await run(workspace);
    } catch (e) {
      notifications.show({ color: 'red', title: 'That did not start', message: errorMessage(e) });
    }
  };
}

/**
 * The app's own commands: every page and Configuration tab, every workspace, and the common actions. Actions that
 * open a dialog go to its page with a flag in the address (…?import=1), so they also work as links.
 */
export function AppCommands() {
  const navigate = useNavigate();
  const { setColorScheme } = useMantineColorScheme();
  const workspaces = useWorkspaceStore((s) => s.workspaces);
  const current = useWorkspaceStore((s) => s.current);
  const select = useWorkspaceStore((s) => s.select);

  const pages = useMemo<AppCommand[]>(
    () => [
      ...NAV_ITEMS.map((item) => ({ id: `nav${item.path === '/' ? '.dashboard' : item.path.replace(/\//g, '.')}`, group: 'Go to', label: item.label, icon: item.icon, keywords: ['page', 'open'], run: () => void navigate(item.path) })),
      ...CONFIG_TABS.map((t) => ({
        id: `nav.configuration.${t.value}`,
        group: 'Go to',
        label: `Configuration → ${t.label}`,
        icon: IconSettings,
        keywords: ['settings', 'configure'],
        run: () => void navigate(`/configuration?tab=${t.value}`),
      })),
      ...ENTITIES.map((e) => ({
        id: `nav.data.${e.key}`,
        group: 'Go to',
        label: `Data → ${e.label}`,
        icon: IconTable,
        keywords: ['table', 'browse', e.key],
        run: () => void navigate(`/data?table=${e.key}`),
      })),
    ],
    [navigate],
  );
  useCommands('app.pages', pages);

  const spaces = useMemo<AppCommand[]>(
    () => [
      ...workspaces
        .filter((w) => w.status === 'ready')
        .map((w) => ({
          id: `workspace.switch.${w.name}`,
          group: 'Workspaces',
          label: `Switch to “${w.name}”`,
          description: w.name === current ? 'The current workspace' : w.demo ? `Demo data · scale ${w.demo.scale}` : undefined,
          icon: IconSwitchHorizontal,
          keywords: ['workspace', w.name],
          run: () => select(w.name),
        })),
      { id: 'workspace.create', group: 'Workspaces', label: 'New demo workspace…', icon: IconDatabasePlus, keywords: ['create', 'generate', 'demo'], run: () => void navigate('/data?create=1') },
    ],
    [workspaces, current, select, navigate],
  );
  useCommands('app.workspaces', spaces);

  const actions = useMemo<AppCommand[]>(
    () => [
      { id: 'data.import', group: 'Actions', label: 'Import CSV…', icon: IconFileImport, keywords: ['upload', 'csv', 'data'], run: () => void navigate('/data?import=1') },
      { id: 'insights.scan', group: 'Actions', label: 'Run a scan…', description: 'Let a persona read the records that most need attention', icon: IconPlayerPlay, keywords: ['persona', 'insights', 'analyse'], run: () => void navigate('/insights?scan=1') },
      { id: 'insights.analyze', group: 'Actions', label: 'Analyze a record now…', description: 'By its code or name (TCK-000575)', icon: IconSparkles, keywords: ['persona', 'insight', 'ticket', 'analyse'], run: () => void navigate('/insights?analyze=1') },
      {
        id: 'detectors.run',
        group: 'Actions',
        label: 'Detect anomalies and trends',
        description: 'Statistics over the workspace metrics, no model',
        icon: IconRadar,
        keywords: ['detector', 'anomaly', 'trend'],
        run: withWorkspace(async (workspace) => {
          await call('detectors.run', { workspace });
          notifications.show({ color: 'indigo', title: 'Detecting anomalies and trends', message: `New findings for “${workspace}” appear on the Dashboard.` });
          void navigate('/');
        }),
      },
      {
        id: 'vectors.build',
        group: 'Actions',
        label: 'Build or update the search index',
        description: 'Builds the first index, or brings the active one up to date',
        icon: IconDatabaseSearch,
        keywords: ['index', 'embeddings', 'search', 'vectors'],
        run: withWorkspace(async (workspace) => {
          const status = await call('vectors.status', { workspace });
          const started = status.active ? await call('vectors.update', { workspace }) : await call('vectors.build', { workspace });
          notifications.show({ color: 'indigo', title: status.active ? 'Updating the search index' : 'Building the search index', message: `Index v${started.versionId} of “${workspace}”: progress under Embeddings & Index.` });
          void navigate('/configuration?tab=index');
        }),
      },
      { id: 'providers.add', group: 'Actions', label: 'Add a provider…', description: 'A model endpoint: OpenAI, Anthropic, a local server…', icon: IconPlugConnected, keywords: ['model', 'endpoint', 'api key', 'llm'], run: () => void navigate('/configuration?tab=providers&add=1') },
      { id: 'insights.open', group: 'Actions', label: 'Show new critical insights', icon: IconBrain, keywords: ['severity', 'urgent'], run: () => void navigate('/insights?severity=critical&status=completed') },
      { id: 'help.shortcuts', group: 'Help', label: 'Keyboard shortcuts', icon: IconKeyboard, shortcut: '?', keywords: ['keys', 'hotkeys', 'help'], run: () => shortcutsHelp.open() },
    ],
    [navigate],
  );
  useCommands('app.actions', actions);

  const appearance = useMemo<AppCommand[]>(
    () => [
      { id: 'theme.light', group: 'Appearance', label: 'Theme: light', icon: IconSun, keywords: ['switch theme', 'colour', 'color'], run: () => setColorScheme('light') },
      { id: 'theme.dark', group: 'Appearance', label: 'Theme: dark', icon: IconMoon, keywords: ['switch theme', 'night', 'colour', 'color'], run: () => setColorScheme('dark') },
      { id: 'theme.auto', group: 'Appearance', label: 'Theme: follow the system', icon: IconDeviceDesktop, keywords: ['switch theme', 'auto', 'colour', 'color'], run: () => setColorScheme('auto') },
    ],
    [setColorScheme],
  );
  useCommands('app.appearance', appearance);

  return null;
}
