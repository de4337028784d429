import { Select } from '@mantine/core';
import { IconDatabase } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useWorkspaceStore } from '../stores/workspaceStore';

const CREATE = '__create__';

export function WorkspaceSwitcher() {
  const workspaces = useWorkspaceStore((s) => s.workspaces);
  const current = useWorkspaceStore((s) => s.current);
  const select = useWorkspaceStore((s) => s.select);
  const navigate = useNavigate();
  const data = [
    ...workspaces.map((w) => ({
      value: w.name,
      label: w.status === 'generating' ? `${w.name} (generating…)` : w.name,
      disabled: w.status !== 'ready',
    })),
    { value: CREATE, label: '+ New workspace…' },
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
        else if (value) select(value);
      }}
    />
  );
}
