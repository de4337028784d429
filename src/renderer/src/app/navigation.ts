import type { ComponentType } from 'react';
import { IconBrain, IconChartBar, IconDatabase, IconFileReport, IconLayoutDashboard, IconMessageChatbot, IconMicrophone, IconSearch, IconSettings } from '@tabler/icons-react';

export interface NavItem {
  path: string;
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'Dashboard', icon: IconLayoutDashboard },
  { path: '/insights', label: 'Insights', icon: IconBrain },
  { path: '/copilot', label: 'Copilot', icon: IconMessageChatbot },
  { path: '/search', label: 'Search', icon: IconSearch },
  { path: '/analytics', label: 'Analytics', icon: IconChartBar },
  { path: '/reports', label: 'Reports', icon: IconFileReport },
  { path: '/voice', label: 'Voice', icon: IconMicrophone },
  { path: '/data', label: 'Data', icon: IconDatabase },
  { path: '/configuration', label: 'Configuration', icon: IconSettings },
];
