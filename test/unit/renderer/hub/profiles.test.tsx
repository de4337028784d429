import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src/shared/contract';
import { AppError } from '../../../../src/shared/errors';
import { setTransport } from '../../../../src/renderer/src/api/client';
import { ProfilesPanel } from '../../../../src/renderer/src/features/configuration/ProfilesPanel';
import { useProfileStore } from '../../../../src/renderer/src/stores/profileStore';
import { fakeTransport } from '../fakeTransport';
import { renderHub, signIn } from './helpers';

/** The profile switcher asks for a protected profile's passphrase (ADR 0093). */

const PASS = 'correct horse battery';

function setup() {
  const profiles: Profile[] = [
    { id: 'pr_1', name: 'Ada', role: 'admin', createdAt: '2026-01-01T00:00:00Z', protected: false },
    { id: 'pr_2', name: 'Boss', role: 'admin', createdAt: '2026-01-01T00:00:00Z', protected: true },
    { id: 'pr_3', name: 'Max', role: 'member', createdAt: '2026-01-01T00:00:00Z', protected: false },
  ];
  const fake = fakeTransport({
    'profiles.list': () => ({ profiles, activeId: 'pr_1' }),
    'session.get': () => ({ profile: profiles[0], host: 'test', appVersion: '0.1.0', dataDir: '/tmp/x' }),
    'profiles.switch': (input: { id: string; passphrase?: string }) => {
      const p = profiles.find((x) => x.id === input.id)!;
      if (p.protected && input.passphrase !== PASS) throw new AppError('forbidden', `That is not the passphrase of ${p.name}.`);
      return p;
    },
  });
  setTransport(fake.transport);
  return fake;
}

describe('Profiles panel and protected profiles', () => {
  beforeEach(() => {
    useProfileStore.setState({ profiles: [], error: null });
    signIn('admin');
  });

  it('switches to an unprotected profile at once, without a prompt', async () => {
    const fake = setup();
    renderHub(<ProfilesPanel />);
    const row = (await screen.findByText('Max')).closest('tr')!;
    fireEvent.click(row.querySelector('button')!);
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'profiles.switch')).toBe(true));
    expect(fake.calls.find((c) => c.route === 'profiles.switch')!.input).toEqual({ id: 'pr_3' });
    expect(screen.queryByLabelText('Passphrase')).toBeNull();
  });

  it('asks for the passphrase of a protected profile, shows a refusal in the prompt, and sends the right one', async () => {
    const fake = setup();
    renderHub(<ProfilesPanel />);
    expect(await screen.findByText('passphrase')).toBeTruthy();
    const row = screen.getByText('Boss').closest('tr')!;
    fireEvent.click(row.querySelector('button')!);
    const input = await screen.findByLabelText('Passphrase');
    expect(fake.calls.some((c) => c.route === 'profiles.switch')).toBe(false);
    fireEvent.change(input, { target: { value: 'wrong one' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText(/not the passphrase of Boss/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: PASS } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.queryByLabelText('Passphrase')).toBeNull());
    const switches = fake.calls.filter((c) => c.route === 'profiles.switch').map((c) => c.input as unknown);
    expect(switches).toEqual([
      { id: 'pr_2', passphrase: 'wrong one' },
      { id: 'pr_2', passphrase: PASS },
    ]);
  });
});
