import { afterEach, describe, expect, it } from 'vitest';
import { Settings } from '../../../src/main/core/app/settings';
import type { SettingsRepo } from '../../../src/main/core/repositories';
import { makeTestCore, type TestCore } from '../../fixtures/core';

/** A repository whose reads the test releases by hand, to order a refresh against a write. */
class GatedRepo implements SettingsRepo {
  readonly data = new Map<string, unknown>();
  private held: Promise<void> | null = null;
  private gate: (() => void) | null = null;
  /** The next reads take their copy, then wait until open(). */
  hold(): void {
    this.held = new Promise<void>((resolve) => (this.gate = resolve));
  }
  open(): void {
    this.gate?.();
    this.held = null;
  }
  async get<T>(key: string): Promise<T | undefined> {
    return this.data.get(key) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    this.data.set(key, value);
  }
  async all(): Promise<Map<string, unknown>> {
    const snapshot = new Map(this.data);
    if (this.held) await this.held;
    return snapshot;
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
}

describe('settings through the repository', () => {
  const cores: TestCore[] = [];
  afterEach(async () => {
    for (const t of cores.splice(0)) await t.cleanup();
  });

  it('survive a restart: engine settings, persona switches and the active profile', async () => {
    const a = makeTestCore();
    await a.core.call('engine.configure', { scan: { concurrency: 3 } });
    await a.core.call('personas.setEnabled', { persona: 'ticket_analyst', enabled: false });
    const mia = await a.core.call('profiles.create', { name: 'Mia', role: 'member' });
    await a.core.call('profiles.switch', { id: mia.id });
    await a.core.dispose();
    const b = makeTestCore({ dataDir: a.dataDir });
    cores.push(b);
    expect((await b.core.call('engine.settings', {})).scan.concurrency).toBe(3);
    expect((await b.core.call('personas.list', {})).personas.find((p) => p.key === 'ticket_analyst')!.enabled).toBe(false);
    expect(b.core.activeProfile().name).toBe('Mia');
  });

  it('another process on the same data folder sees a change after a reload', async () => {
    const a = makeTestCore();
    cores.push(a);
    const b = makeTestCore({ dataDir: a.dataDir });
    expect(a.core.services.settings.get('shared.flag')).toBeUndefined();
    await b.core.services.settings.set('shared.flag', { on: true });
    await b.core.dispose();
    await a.core.services.settings.load();
    expect(a.core.services.settings.get('shared.flag')).toEqual({ on: true });
  });

  it('a reload that read before a write does not bring the old value back', async () => {
    const repo = new GatedRepo();
    const settings = new Settings(repo, new Map());
    repo.hold();
    const reload = settings.load();
    await settings.set('k', 2);
    repo.open();
    await reload;
    expect(settings.get('k')).toBe(2);
    // Without a write in between, a reload does take what the repository holds.
    repo.data.set('k', 3);
    await settings.load();
    expect(settings.get('k')).toBe(3);
  });

  it('keeps what a reload would return, not the caller\'s object', async () => {
    const settings = new Settings(new GatedRepo(), new Map());
    const value = { list: [1, 2] };
    await settings.set('obj', value);
    value.list.push(3);
    expect(settings.get('obj')).toEqual({ list: [1, 2] });
  });
});
