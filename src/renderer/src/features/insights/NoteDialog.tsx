import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import type { InsightAction } from '@shared/insights';

export const ACTION_COPY: Record<InsightAction, { verb: string; title: string; hint: string; color: string }> = {
  acknowledge: { verb: 'Acknowledge', title: 'Acknowledge this insight', hint: 'You have seen it and someone is on it. It stays open until actioned or dismissed.', color: 'teal' },
  action: { verb: 'Mark actioned', title: 'Mark this insight as actioned', hint: 'The recommended action (or another) was taken. Say what was done.', color: 'green' },
  dismiss: { verb: 'Dismiss', title: 'Dismiss this insight', hint: 'It is wrong, a duplicate or not worth acting on. A note helps tune the personas.', color: 'gray' },
};

/** A small confirm dialog with an optional note, for moving an insight through its lifecycle. */
export function NoteDialog({
  action,
  onClose,
  onConfirm,
}: {
  action: InsightAction | null;
  onClose: () => void;
  onConfirm: (action: InsightAction, note: string) => Promise<void>;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const copy = action ? ACTION_COPY[action] : null;
  const close = (): void => {
    setNote('');
    setError(null);
    onClose();
  };
  const submit = async (): Promise<void> => {
    if (!action) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(action, note.trim());
      setNote('');
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={action !== null} onClose={close} title={copy?.title} size="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {copy?.hint}
        </Text>
        <Textarea
          label="Note"
          description="Optional; saved with your name and the time in the insight's history."
          placeholder={action === 'dismiss' ? 'Why is it not useful?' : action === 'action' ? 'What was done?' : 'Who is on it?'}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={8}
          maxLength={2000}
          data-autofocus
        />
        {error && <Alert color="red">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button color={copy?.color} onClick={() => void submit()} loading={busy}>
            {copy?.verb}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
