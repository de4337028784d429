import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';

/** Shown to members on admin-only configuration: what they can see, and how to get changes made. */
export function AdminNote({ what }: { what: string }) {
  return (
    <Alert variant="light" color="gray" icon={<IconLock size={18} />} title="Read-only for members">
      Only an admin can change {what}. Ask an admin, or switch to an admin profile under Configuration → Profiles.
    </Alert>
  );
}
