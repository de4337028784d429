import { Select } from '@mantine/core';
import { IconDatabase } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useWorkspaceStore, workspaceWhere } from '../stores/workspaceStore';

const CREATE = '__create__';
const TEAM = '__team__';

export function WorkspaceSwitcher() {
  const workspaces = useWorkspaceStore((s) => s.workspaces);
  const current = useWorkspaceStore((s) => s.current);
  const select = useWorkspaceStore((s) => s.select);
  const navigate = useNavigate();
  const data = [
    ...workspaces.map((w) => ({
      value: w.name,
      // Team workspaces say where they live (host and database, never the connection string).
      label: `${w.name}${w.kind === 'postgres' ? ` · ${workspaceWhere(w)}` : ''}${w.status === 'generating' ? ' (generating…)' : ''}`,
      disabled: w.status !== 'ready',
    })),
    { value: CREATE, label: '+ New workspace…' },
    { value: TEAM, label: '+ Team workspace (PostgreSQL)…' },
  ];
  return (
    <Select
      aria-label="Workspace"
      placeholder="No workspace"
      leftSection={<IconDatabase size={16} />}
      data={data}
      value={current}
      w={220}
      allowDeselect={false}
      onChange={(value) => {
        if (value === CREATE) void navigate('/data?create=1');
        else if (value === TEAM) void navigate('/data?team=1');
        else if (value) select(value);
      }}
    />
  );
}
