import { useState } from 'react';
import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';

export interface PassphraseRequest {
  title: string;
  description: string;
  /** A new passphrase is being set: ask for at least 8 characters. */
  isNew?: boolean;
  /** Resolves true when the passphrase was accepted (the prompt then closes). */
  submit(passphrase: string): Promise<boolean>;
}

/** Asks for a profile's passphrase (switching to a protected profile, changing roles as one, protecting one). */
export function PassphrasePrompt({ request, error, onClose }: { request: PassphraseRequest | null; error: string | null; onClose(): void }) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const tooShort = request?.isNew === true && value.length > 0 && value.length < 8;
  const close = (): void => {
    setValue('');
    onClose();
  };
  const submit = async (): Promise<void> => {
    if (!request || !value || tooShort) return;
    setBusy(true);
    const ok = await request.submit(value);
    setBusy(false);
    if (ok) close();
  };
  return (
    <Modal opened={request !== null} onClose={close} title={request?.title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm">{request?.description}</Text>
          <PasswordInput
            label="Passphrase"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            error={tooShort ? 'Use at least 8 characters.' : (error ?? undefined)}
            autoFocus
            data-autofocus
            autoComplete={request?.isNew ? 'new-password' : 'current-password'}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!value || tooShort}>
              {request?.isNew ? 'Protect' : 'Continue'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
