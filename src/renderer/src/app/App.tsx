import { useEffect } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { createHashRouter, RouterProvider } from 'react-router';
import { bindInsightNotifications } from '../features/insights/desktopNotify';
import { bindDashboardEvents } from '../stores/dashboardStore';
import { bindDataEvents } from '../stores/dataStore';
import { bindInsightEvents } from '../stores/insightsStore';
import { bindJobEvents } from '../stores/jobsStore';
import { bindSessionEvents, useSessionStore } from '../stores/sessionStore';
import { bindWorkspaceEvents, useWorkspaceStore } from '../stores/workspaceStore';
import { routes } from './routes';
import { theme } from './theme';

// Hash routing works the same from file:// (Electron) and from the web host.
const router = createHashRouter(routes);

export function App() {
  useEffect(() => {
    const unbind = [bindSessionEvents(), bindWorkspaceEvents(), bindJobEvents(), bindDataEvents(), bindInsightEvents(), bindDashboardEvents(), bindInsightNotifications()];
    void useSessionStore.getState().load();
    void useWorkspaceStore.getState().load();
    return () => unbind.forEach((u) => u());
  }, []);
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" />
      <RouterProvider router={router} />
    </MantineProvider>
  );
}
