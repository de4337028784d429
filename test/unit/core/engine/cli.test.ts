import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFinding } from '../../../../src/main/core/engine/insightStore';
import { makeTestCore, tempDir } from '../../../fixtures/core';
import { seedEngineData } from '../../../fixtures/engineSeed';
import { runCli } from '../../../fixtures/cli';

const cli = runCli;

describe('engine CLI', () => {
  const dir = tempDir();
  beforeAll(async () => {
    const t = makeTestCore({ dataDir: dir });
    await t.core.call('workspace.create', { name: 'w' });
    const db = t.core.services.workspaces.open('w');
    seedEngineData(db);
    insertFinding(db, {
      id: 'ins_cli0000000000001',
      type: 'anomaly',
      domain: 'support',
      entityType: null,
      entityId: null,
      entityTitle: null,
      dedupKey: 'k',
      trigger: 'scheduled',
      actor: null,
      runId: null,
      createdAt: '2026-03-01T00:00:00Z',
      fields: { severity: 'high', title: 'Ticket volume: spike of +180%', summary: 'Spike.', confidence: 0.9, recommendations: [], factors: [], fields: { metric: 'ticket_volume' }, defaultedFields: [], warnings: [], completedAt: '2026-03-01T00:00:00Z', expiresAt: null },
    });
    await t.core.dispose();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('analyze prints the insight; without a provider it is a failed insight and exit code 1', async () => {
    const r = await cli('--data-dir', dir, '--json', 'analyze', '--workspace', 'w', '--persona', 'ticket_analyst', '--entity', '1');
    expect(r.code).toBe(1);
    const insight = JSON.parse(r.out) as Record<string, unknown>;
    for (const k of ['id', 'personaKey', 'status', 'severity', 'title', 'summary', 'confidence', 'recommendations', 'factors', 'provider', 'model', 'fallbackUsed', 'tokensIn', 'tokensOut', 'costUsd']) expect(insight).toHaveProperty(k);
    expect(insight).toMatchObject({ personaKey: 'ticket_analyst', status: 'failed', errorCode: 'unavailable', entityId: 1 });
    expect(r.err).toMatch(/No model provider is configured/);
  });

  it('analyze needs exactly one of --entity and --scan', async () => {
    const r = await cli('--data-dir', dir, 'analyze', '--workspace', 'w', '--persona', 'ticket_analyst');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/either --entity ID or --scan/);
  });

  it('insights list filters; show, ack and dismiss work by id', async () => {
    const list = await cli('--data-dir', dir, '--json', 'insights', 'list', '--workspace', 'w', '--severity', 'high,critical', '--type', 'anomaly');
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.out) as { items: { id: string }[]; total: number };
    expect(parsed.items.map((i) => i.id)).toEqual(['ins_cli0000000000001']);
    const human = await cli('--data-dir', dir, 'insights', 'list', '--workspace', 'w', '--status', 'failed');
    expect(human.out).toMatch(/ticket_analyst\s+TCK-000001: Ticket Analyst could not analyse this/);
    const show = await cli('--data-dir', dir, 'insights', 'show', 'ins_cli0000000000001', '--workspace', 'w');
    expect(show.out).toContain('Ticket volume: spike of +180%');
    const ack = await cli('--data-dir', dir, '--json', 'insights', 'ack', 'ins_cli0000000000001', '--workspace', 'w', '--note', 'on it');
    expect(JSON.parse(ack.out)).toMatchObject({ status: 'acknowledged', statusNote: 'on it' });
    const dismiss = await cli('--data-dir', dir, 'insights', 'dismiss', 'ins_cli0000000000001', '--workspace', 'w');
    expect(dismiss.out).toMatch(/^Dismissed: Ticket volume/);
    const again = await cli('--data-dir', dir, 'insights', 'ack', 'ins_cli0000000000001', '--workspace', 'w');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/dismissed.*\[conflict\]/);
  });

  it('schedule list and run-due', async () => {
    const list = await cli('--data-dir', dir, '--json', 'schedule', 'list');
    const { schedules } = JSON.parse(list.out) as { schedules: { kind: string }[] };
    expect(schedules).toHaveLength(12);
    const due = await cli('--data-dir', dir, '--json', 'schedule', 'run-due', '--workspace', 'w');
    expect(due.code).toBe(0);
    expect(JSON.parse(due.out)).toEqual({ started: [], skipped: [] });
  });
});
