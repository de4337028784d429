import type { RouteObject } from 'react-router';
import { AnalyticsPage } from '../features/analytics/AnalyticsPage';
import { ConfigurationPage } from '../features/configuration/ConfigurationPage';
import { CopilotPage } from '../features/copilot/CopilotPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { DataPage } from '../features/data/DataPage';
import { InsightsPage } from '../features/insights/InsightsPage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { SearchPage } from '../features/search/SearchPage';
import { VoicePage } from '../features/voice/VoicePage';
import { Shell } from './Shell';

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'insights', element: <InsightsPage /> },
      { path: 'copilot', element: <CopilotPage /> },
      { path: 'search', element: <SearchPage /> },
      { path: 'analytics', element: <AnalyticsPage /> },
      { path: 'reports', element: <ReportsPage /> },
      { path: 'voice', element: <VoicePage /> },
      { path: 'data', element: <DataPage /> },
      { path: 'configuration', element: <ConfigurationPage /> },
      { path: '*', element: <DashboardPage /> },
    ],
  },
];
