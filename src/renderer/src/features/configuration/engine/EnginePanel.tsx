import { useEffect } from 'react';
import { ActionIcon, Stack, Tooltip } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { bindEngineEvents, useEngineStore } from '../../../stores/engineStore';
import { selectIsAdmin, useSessionStore } from '../../../stores/sessionStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../../stores/workspaceStore';
import { AdminNote } from '../shared/AdminNote';
import { SectionHeader } from '../shared/Section';
import { EngineSettingsCard } from './EngineSettingsCard';
import { PersonasTable } from './PersonasTable';
import { SchedulesTable } from './SchedulesTable';

/** Configuration → Personas & Engine: engine settings, the personas' switches and the workspace's schedules. */
export function EnginePanel() {
  const isAdmin = useSessionStore(selectIsAdmin);
  // The selected workspace's name once the list knows it, else the remembered choice (tests and first paint).
  const workspace = useWorkspaceStore((s) => selectCurrentWorkspace(s)?.name ?? s.current);
  const { loadSettings, loadPersonas, loadSchedules } = useEngineStore();

  useEffect(() => {
    void loadSettings();
    void loadPersonas();
  }, [loadSettings, loadPersonas]);
  useEffect(() => {
    if (workspace) void loadSchedules(workspace);
  }, [workspace, loadSchedules]);
  useEffect(() => bindEngineEvents(), []);

  const refresh = (): void => {
    void loadSettings();
    void loadPersonas();
    if (workspace) void loadSchedules(workspace);
  };

  return (
    <Stack gap="xl">
      <SectionHeader
        title="Personas & Engine"
        description="How the intelligence engine runs: whether AI analysis is on, what personal data is masked before a prompt leaves this computer, which personas may run, and when scheduled work happens."
        actions={
          <Tooltip label="Reload settings, personas and schedules">
            <ActionIcon variant="default" size="lg" aria-label="Refresh engine settings" onClick={refresh}>
              <IconRefresh size={16} />
            </ActionIcon>
          </Tooltip>
        }
      />
      {!isAdmin && <AdminNote what="engine settings, personas and schedules" />}
      <EngineSettingsCard editable={isAdmin} />
      <PersonasTable editable={isAdmin} />
      <SchedulesTable workspace={workspace} editable={isAdmin} />
    </Stack>
  );
}
