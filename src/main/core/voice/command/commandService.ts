import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile, VoiceCommandResult, VoiceEntity, VoiceSession, VoiceTranscript } from '@shared/contract';
import type { ActionApproval } from '@shared/contract/actions';
import { getEntity } from '@shared/entities';
import { AppError } from '@shared/errors';
import type { ActionService } from '../../actions/types';
import { ACTIONS, actionJsonSchema } from '../../actions/registry';
import type { RecordService } from '../../data/recordService';
import type { Gateway } from '../../gateway/types';
import type { Logger } from '../../logger';
import { runModelStep, zodOutput } from '../../model/modelStep';
import { neutralize } from '../../prompt/untrusted';
import type { VoiceSessionRow } from '../../repositories';
import type { WorkspaceContext } from '../../workspaces/workspaceContext';
import type { VoiceSettingsService } from '../settings';
import { VOICE_ACTIONS, VOICE_ENTITIES, VOICE_PAGES, voiceIntent, type VoiceIntent } from './intent';
import { spokenNumbersToDigits } from './numbers';
import { ruleIntent } from './rules';
import { parseSpokenTime } from './when';

export interface VoiceCommandDeps {
  actions: () => ActionService;
  records: RecordService;
  gateway: () => Gateway;
  settings: VoiceSettingsService;
  /** Where kept recordings live: <dir>/<workspace id>/<session id>.wav. */
  audioDir: string;
  logger: Logger;
  now: () => Date;
}

export interface CommandInput {
  workspace: WorkspaceContext;
  profile: Profile;
  transcript: string;
  transcription?: VoiceTranscript | null;
  audio?: Uint8Array | null;
  timeZone?: string | undefined;
  pendingSessionId?: string | undefined;
  signal?: AbortSignal | undefined;
}

type Resolved = Omit<VoiceCommandResult, 'sessionId' | 'transcript' | 'normalized' | 'transcription' | 'timings'>;

const YES = /^(yes|yeah|yep|confirm|confirmed|do it|go ahead|ok|okay|sure|approve)\b/i;
const NO = /^(no|nope|cancel|stop|never mind|nevermind|don't|do not|reject)\b/i;
const DATE_FIELDS = new Set(['dueDate', 'closeDate', 'date']);
const EXAMPLES = '“open ticket 42”, “show critical insights”, “search for login outage”, “create a task to call Acme tomorrow at nine”';

const singularOf = (entity: string): string => getEntity(entity)?.singular.toLowerCase() ?? entity;

const base = (over: Partial<Resolved>): Resolved => ({
  understoodBy: 'none',
  kind: 'unclear',
  action: null,
  confidence: 0,
  status: 'clarify',
  summary: '',
  navigateTo: null,
  entities: [],
  approval: null,
  result: null,
  touched: [],
  question: null,
  error: null,
  ...over,
});

/**
 * Voice commands after the transcript (issue 11 §3, ADR 0073): understand (the documented patterns first, then the
 * model through the gateway, use case voice.intent), resolve names, codes and times against the workspace, then
 * navigate, run a read action, or propose a write through the action layer and wait for a yes. Every command is a
 * voice session in the workspace; its recording is kept for the configured days.
 */
export class VoiceCommandService {
  constructor(private readonly deps: VoiceCommandDeps) {}

  async command(input: CommandInput): Promise<VoiceCommandResult> {
    const t0 = performance.now();
    const transcript = input.transcript.trim();
    const normalized = spokenNumbersToDigits(transcript);
    const repo = input.workspace.repos.voiceSessions;
    void this.sweepAudio(input.workspace).catch((e) => this.deps.logger.warn('voice audio sweep failed', { error: String(e) }));

    // "yes" / "no" answer the command waiting for confirmation.
    if (input.pendingSessionId && (YES.test(normalized) || NO.test(normalized))) {
      const pending = await repo.get(input.pendingSessionId);
      if (pending && pending.status === 'confirm' && pending.profile_id === input.profile.id) {
        const yes = YES.test(normalized);
        const r = yes ? await this.confirm(input.workspace, input.profile, pending.id) : await this.cancel(input.workspace, input.profile, pending.id);
        // The answer is a session of its own ("yes" with its recording), pointing at what it answered.
        await this.record(input, transcript, normalized, { ...r, kind: yes ? 'confirm' : 'cancel', summary: `${yes ? 'Confirmed' : 'Cancelled'}: ${r.summary}` }, t0, performance.now() - t0, { kind: yes ? 'confirm' : 'cancel', confidence: 1, action: r.action });
        return r;
      }
    }

    let resolved: Resolved;
    let intent: VoiceIntent | null = null;
    const u0 = performance.now();
    try {
      const understood = await this.understand(input, normalized);
      intent = understood?.intent ?? null;
      resolved = understood ? await this.resolve(input, understood.intent, understood.by) : base({ question: `I did not catch a command in “${transcript}”. Try ${EXAMPLES}.`, summary: 'Not understood' });
    } catch (error) {
      const e = AppError.wrap(error);
      if (e.code === 'cancelled') throw e;
      resolved = base({ status: 'failed', error: e.message, summary: 'The command could not be run' });
    }
    const understandMs = performance.now() - u0;
    return this.record(input, transcript, normalized, resolved, t0, understandMs, intent);
  }

  /** Runs the write a command proposed (the action layer checks the role again and recomputes the diff). */
  async confirm(workspace: WorkspaceContext, profile: Profile, sessionId: string, args?: Record<string, unknown>): Promise<VoiceCommandResult> {
    const row = await this.session(workspace, profile, sessionId);
    if (!row.approval_id || row.status !== 'confirm') throw new AppError('conflict', `This voice command is ${row.status === 'done' ? 'already done' : row.status === 'cancelled' ? 'cancelled' : 'not waiting for a confirmation'}.`);
    const out = await this.deps.actions().approve(workspace, profile, row.approval_id, args ? { args } : {});
    const now = this.deps.now().toISOString();
    if (out.status === 'changed') {
      await workspace.repos.voiceSessions.update(sessionId, { updated_at: now, summary: out.approval.preview.summary });
      return { ...this.fromRow({ ...row, summary: out.approval.preview.summary }), approval: out.approval, question: 'The records changed since the command was understood: check the new changes and confirm again.' };
    }
    const summary = `Done: ${out.approval.preview.summary}`;
    await workspace.repos.voiceSessions.update(sessionId, { updated_at: now, status: 'done', summary, question: null, result: JSON.stringify({ result: out.result, touched: out.touched }) });
    return { ...this.fromRow({ ...row, status: 'done', summary, question: null }), approval: out.approval, result: out.result, touched: out.touched };
  }

  async cancel(workspace: WorkspaceContext, profile: Profile, sessionId: string): Promise<VoiceCommandResult> {
    const row = await this.session(workspace, profile, sessionId);
    if (row.status !== 'confirm' && row.status !== 'clarify') throw new AppError('conflict', `This voice command is ${row.status}; there is nothing to cancel.`);
    let approval: ActionApproval | null = null;
    if (row.approval_id) approval = await this.deps.actions().reject(workspace, profile, row.approval_id, { reason: 'Cancelled by voice' });
    const summary = `Cancelled: ${row.summary}`;
    await workspace.repos.voiceSessions.update(sessionId, { updated_at: this.deps.now().toISOString(), status: 'cancelled', summary, question: null });
    return { ...this.fromRow({ ...row, status: 'cancelled', summary, question: null }), approval };
  }

  /** The person picked which record a name meant: fill it in and propose the write. */
  async choose(workspace: WorkspaceContext, profile: Profile, sessionId: string, field: string, id: number, timeZone?: string): Promise<VoiceCommandResult> {
    const row = await this.session(workspace, profile, sessionId);
    if (row.status !== 'clarify' && row.status !== 'confirm') throw new AppError('conflict', `This voice command is ${row.status}; it cannot change now.`);
    const intent = voiceIntent.parse(JSON.parse(row.intent));
    const entities = JSON.parse(row.entities) as VoiceEntity[];
    const entity = entities.find((e) => e.field === field);
    if (!entity) throw new AppError('validation', `The command has no “${field}” to choose (it has: ${entities.map((e) => e.field).join(', ') || 'none'}).`);
    const title = await this.deps.records.record(workspace.repos.records, entity.entity, id).then((r) => r.title);
    const chosen: VoiceEntity = { ...entity, match: { id, title, code: entity.alternatives.find((a) => a.id === id)?.code ?? null }, confidence: 1 };
    if (row.approval_id) await this.deps.actions().reject(workspace, profile, row.approval_id, { reason: 'Replaced: another record was chosen' }).catch(() => undefined);
    const input: CommandInput = { workspace, profile, transcript: row.transcript, timeZone };
    const resolved = await this.resolve(input, intent, row.understood_by as 'patterns' | 'model', { [field]: chosen });
    await workspace.repos.voiceSessions.update(sessionId, this.patchOf(resolved));
    return { ...this.fromRow({ ...row, ...this.patchOf(resolved) }), approval: resolved.approval, result: resolved.result, touched: resolved.touched };
  }

  async history(workspace: WorkspaceContext, profile: Profile, offset: number, limit: number): Promise<{ sessions: VoiceSession[]; total: number }> {
    const { rows, total } = await workspace.repos.voiceSessions.list({ profileId: profile.id, offset, limit });
    const now = this.deps.now().toISOString();
    return {
      total,
      sessions: rows.map((r) => {
        const { transcription: _t, result: _r, timings: _x, approval: _a, ...rest } = this.fromRow(r);
        return {
          ...rest,
          createdAt: r.created_at,
          profileName: r.profile_name,
          engine: r.engine,
          model: r.model,
          audioMs: r.audio_ms,
          transcribeMs: r.transcribe_ms,
          understandMs: r.understand_ms,
          approvalId: r.approval_id,
          hasAudio: Boolean(r.audio_file) && (!r.audio_expires_at || r.audio_expires_at > now),
          audioExpiresAt: r.audio_expires_at,
        };
      }),
    };
  }

  async audio(workspace: WorkspaceContext, profile: Profile, sessionId: string): Promise<{ audio: string | null; expiresAt: string | null }> {
    const row = await this.session(workspace, profile, sessionId);
    if (!row.audio_file || (row.audio_expires_at && row.audio_expires_at <= this.deps.now().toISOString())) return { audio: null, expiresAt: null };
    const bytes = await readFile(join(this.deps.audioDir, workspace.id, row.audio_file)).catch(() => null);
    return { audio: bytes ? bytes.toString('base64') : null, expiresAt: bytes ? row.audio_expires_at : null };
  }

  async delete(workspace: WorkspaceContext, profile: Profile, target: { sessionId?: string | undefined; all?: boolean | undefined }): Promise<number> {
    const rows = target.all ? await workspace.repos.voiceSessions.idsOf(profile.id) : [await this.session(workspace, profile, target.sessionId!)];
    for (const r of rows) if (r.audio_file) await rm(join(this.deps.audioDir, workspace.id, r.audio_file), { force: true });
    return workspace.repos.voiceSessions.delete(rows.map((r) => r.id));
  }

  /** Deletes recordings kept longer than their retention (run with every command). */
  async sweepAudio(workspace: WorkspaceContext): Promise<number> {
    const expired = await workspace.repos.voiceSessions.expiredAudio(this.deps.now().toISOString(), 200);
    for (const e of expired) {
      await rm(join(this.deps.audioDir, workspace.id, e.audio_file), { force: true });
      await workspace.repos.voiceSessions.update(e.id, { audio_file: null, audio_expires_at: null });
    }
    return expired.length;
  }

  // ---- understanding -------------------------------------------------------------------------------------------

  private async understand(input: CommandInput, normalized: string): Promise<{ intent: VoiceIntent; by: 'patterns' | 'model' } | null> {
    const rule = ruleIntent(normalized);
    if (rule) return { intent: rule, by: 'patterns' };
    try {
      const step = await runModelStep(this.deps.gateway(), {
        meta: { workspace: input.workspace.name, useCase: 'voice.intent', profileId: input.profile.id, subject: 'voice.command' },
        messages: [
          { role: 'system', content: intentSystemPrompt(this.deps.now(), input.timeZone ?? 'UTC') },
          // The speaker's own words, but still text from outside the app: neutralised like record text.
          { role: 'user', content: `Command: ${neutralize(normalized, { maxChars: 1000 }).text}` },
        ],
        output: zodOutput('voice_intent', voiceIntent),
        retries: 1,
        signal: input.signal,
        params: { temperature: 0, maxTokens: 400 },
      });
      return { intent: step.value, by: 'model' };
    } catch (error) {
      const e = AppError.wrap(error);
      if (e.code === 'cancelled') throw e;
      // No model (or it failed): the patterns are what works offline; say so instead of failing.
      this.deps.logger.info('voice intent: no model answer', { code: e.code });
      return null;
    }
  }

  private async resolve(input: CommandInput, intent: VoiceIntent, by: 'patterns' | 'model', chosen: Record<string, VoiceEntity> = {}): Promise<Resolved> {
    // A record the person picked settles the doubt the threshold guards against.
    const threshold = Object.keys(chosen).length ? 0 : this.deps.settings.get().confirmThreshold;
    const common = { understoodBy: by, kind: intent.kind, confidence: intent.confidence } as const;
    switch (intent.kind) {
      case 'navigate': {
        const page = intent.page ?? 'dashboard';
        return base({ ...common, status: 'navigate', navigateTo: VOICE_PAGES[page], summary: `Open ${page[0]!.toUpperCase()}${page.slice(1)}` });
      }
      case 'search': {
        const q = (intent.query ?? '').trim();
        if (!q) return base({ ...common, question: 'What should I search for?', summary: 'Search for what?' });
        return base({ ...common, status: 'navigate', navigateTo: `/search?q=${encodeURIComponent(q)}`, summary: `Search for “${q}”` });
      }
      case 'filter_insights': {
        const sev = intent.severity?.length ? intent.severity : ['critical'];
        return base({ ...common, status: 'navigate', navigateTo: `/insights?severity=${sev.join(',')}`, summary: `Show ${sev.join(' and ')} insights` });
      }
      case 'open_record': {
        const word = intent.entity ?? 'ticket';
        const entity = VOICE_ENTITIES[word];
        if (entity === 'insights') return base({ ...common, status: 'navigate', navigateTo: `/insights`, summary: 'Open Insights' });
        const found = await this.match(input.workspace, { field: 'record', entity, text: intent.reference ?? '' });
        if (!found.match || found.confidence < threshold) return base({ ...common, entities: [found], question: found.alternatives.length ? `Which ${word} did you mean by “${found.text}”?` : `I found no ${word} “${found.text}”.`, summary: `Open ${word} ${found.text}` });
        return base({ ...common, status: 'navigate', entities: [found], navigateTo: `/data?entity=${entity}&id=${found.match.id}`, summary: `Open ${found.match.title}` });
      }
      case 'action':
        return this.resolveAction(input, intent, common, threshold, chosen);
      default:
        return base({ ...common, question: intent.question ?? `I did not understand that as a command. Try ${EXAMPLES}.`, summary: 'Not understood' });
    }
  }

  private async resolveAction(input: CommandInput, intent: VoiceIntent, common: Pick<Resolved, 'understoodBy' | 'kind' | 'confidence'>, threshold: number, chosen: Record<string, VoiceEntity>): Promise<Resolved> {
    const name = intent.action;
    if (!name || !VOICE_ACTIONS.includes(name)) return base({ ...common, question: `I cannot do that by voice yet. Try ${EXAMPLES}.`, summary: 'Not a voice action' });
    const entities: VoiceEntity[] = [];
    const args: Record<string, unknown> = { ...(intent.args ?? {}) };
    for (const m of intent.mentions ?? []) {
      const e = chosen[m.field] ?? (await this.match(input.workspace, { field: m.field, entity: VOICE_ENTITIES[m.entity], text: m.text }));
      entities.push(e);
      if (e.match) args[m.field] = e.match.id;
    }
    for (const t of intent.times ?? []) {
      const when = parseSpokenTime(t.text, this.deps.now(), input.timeZone ?? 'UTC');
      const value = when ? (DATE_FIELDS.has(t.field) ? when.date : when.iso) : null;
      entities.push({ field: t.field, entity: 'time', text: t.text, match: null, alternatives: [], value, confidence: when ? 1 : 0 });
      if (value) args[t.field] = value;
    }
    const confidence = Math.min(intent.confidence, ...entities.map((e) => e.confidence));
    const missing = entities.filter((e) => (e.entity === 'time' ? !e.value : !e.match));
    const label = name.replace(/_/g, ' ');
    if (missing.length) {
      const m = missing[0]!;
      const q = m.entity === 'time' ? `When is “${m.text}”? Say a day and time, such as “tomorrow at nine”.` : m.alternatives.length ? `Which ${singularOf(m.entity)} did you mean by “${m.text}”?` : `I found no ${singularOf(m.entity)} called “${m.text}”.`;
      return base({ ...common, action: name, confidence, entities, question: q, summary: `${label[0]!.toUpperCase()}${label.slice(1)}` });
    }
    if (confidence < threshold) {
      const unsure = entities.filter((e) => e.confidence < threshold).map((e) => `${e.match?.title ?? e.value} for “${e.text}”`);
      return base({ ...common, action: name, confidence, entities, question: unsure.length ? `Did you mean ${unsure.join(' and ')}? Pick the right one, or say the command again.` : `I am not sure I understood. Did you mean to ${label}?`, summary: `${label[0]!.toUpperCase()}${label.slice(1)}` });
    }
    const actions = this.deps.actions();
    const call = { workspace: input.workspace, profile: input.profile, name, args, source: 'voice' as const, signal: input.signal };
    const spec = ACTIONS.find((a) => a.name === name);
    if (spec?.risk === 'read') {
      const out = await actions.execute(call);
      if (out.status !== 'done') throw new AppError('internal', 'A read action did not run at once.');
      return base({ ...common, action: name, confidence, entities, status: 'done', result: out.result, touched: out.touched, summary: `${label[0]!.toUpperCase()}${label.slice(1)}` });
    }
    const approval = await actions.propose(call);
    return base({ ...common, action: name, confidence, entities, status: 'confirm', approval, summary: approval.preview.summary, question: 'Say “yes” or click Confirm to do it; “no” or Esc cancels.' });
  }

  /** A record named by code, number or name: exact code or number first, then an exact name, then near names. */
  private async match(workspace: WorkspaceContext, m: { field: string; entity: string; text: string }): Promise<VoiceEntity> {
    const text = m.text.trim().replace(/^(number|#)\s*/i, '');
    const found = text ? await this.deps.records.lookup(workspace.repos.records, m.entity, text, 5) : [];
    const lower = text.toLowerCase();
    const digits = /^\d+$/.test(text) ? Number(text) : null;
    const exact = found.find((f) => (f.code && (f.code.toLowerCase() === lower || (digits !== null && Number(f.code.replace(/\D/g, '')) === digits))) || f.title.toLowerCase() === lower);
    const alternatives = found.filter((f) => f !== exact).map((f) => ({ id: f.id, title: f.title, code: f.code }));
    if (exact) return { field: m.field, entity: m.entity, text: m.text, match: { id: exact.id, title: exact.title, code: exact.code }, alternatives, value: null, confidence: 1 };
    if (found.length === 1) return { field: m.field, entity: m.entity, text: m.text, match: { id: found[0]!.id, title: found[0]!.title, code: found[0]!.code }, alternatives: [], value: null, confidence: found[0]!.title.toLowerCase().startsWith(lower) ? 0.9 : 0.7 };
    if (found.length > 1) return { field: m.field, entity: m.entity, text: m.text, match: { id: found[0]!.id, title: found[0]!.title, code: found[0]!.code }, alternatives: alternatives.slice(1), value: null, confidence: 0.4 };
    return { field: m.field, entity: m.entity, text: m.text, match: null, alternatives: [], value: null, confidence: 0 };
  }

  // ---- sessions ------------------------------------------------------------------------------------------------

  private async session(workspace: WorkspaceContext, profile: Profile, id: string): Promise<VoiceSessionRow> {
    const row = await workspace.repos.voiceSessions.get(id);
    if (!row || (row.profile_id !== null && row.profile_id !== profile.id)) throw new AppError('not_found', `There is no voice command ${id} of ${profile.name} in this workspace.`);
    return row;
  }

  private patchOf(r: Resolved) {
    return {
      updated_at: this.deps.now().toISOString(),
      confidence: r.confidence,
      status: r.status,
      summary: r.summary,
      entities: JSON.stringify(r.entities),
      navigate_to: r.navigateTo,
      approval_id: r.approval?.id ?? null,
      question: r.question,
      result: r.result === null ? null : JSON.stringify({ result: r.result, touched: r.touched }),
      error: r.error,
    };
  }

  private async record(input: CommandInput, transcript: string, normalized: string, r: Resolved, t0: number, understandMs: number, intent: VoiceIntent | { kind: 'confirm' | 'cancel'; confidence: number; action: string | null } | null = null): Promise<VoiceCommandResult> {
    const id = `vs_${Date.now().toString(36)}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const now = this.deps.now();
    const keepDays = this.deps.settings.get().keepAudioDays;
    let audioFile: string | null = null;
    if (input.audio && keepDays > 0) {
      const dir = join(this.deps.audioDir, input.workspace.id);
      await mkdir(dir, { recursive: true });
      audioFile = `${id}.wav`;
      await writeFile(join(dir, audioFile), input.audio);
    }
    const t = input.transcription ?? null;
    // The whole reading is kept, so a later choice of record (voice.choose) resolves the same command again.
    const intentJson = JSON.stringify(intent ?? { kind: 'unclear', confidence: r.confidence });
    await input.workspace.repos.voiceSessions.insert({
      id,
      created_at: now.toISOString(),
      profile_id: input.profile.id,
      profile_name: input.profile.name,
      transcript,
      engine: t?.engine ?? null,
      model: t?.model ?? null,
      audio_ms: t?.audioMs ?? null,
      transcribe_ms: t?.elapsedMs ?? null,
      understand_ms: understandMs,
      understood_by: r.understoodBy,
      intent: intentJson,
      ...this.patchOf(r),
      audio_file: audioFile,
      audio_expires_at: audioFile ? new Date(now.getTime() + keepDays * 86_400_000).toISOString() : null,
    });
    return { ...r, sessionId: id, transcript, normalized, transcription: t, timings: { understandMs, totalMs: performance.now() - t0 } };
  }

  private fromRow(r: VoiceSessionRow): VoiceCommandResult {
    const intent = JSON.parse(r.intent) as { kind?: string; action?: string | null };
    const kind = intent.kind;
    const stored = r.result ? (JSON.parse(r.result) as { result?: unknown; touched?: VoiceCommandResult['touched'] }) : null;
    return {
      sessionId: r.id,
      transcript: r.transcript,
      normalized: spokenNumbersToDigits(r.transcript),
      understoodBy: r.understood_by as VoiceCommandResult['understoodBy'],
      kind: (kind ?? 'unclear') as VoiceCommandResult['kind'],
      action: intent.action ?? null,
      confidence: r.confidence,
      status: r.status as VoiceCommandResult['status'],
      summary: r.summary,
      navigateTo: r.navigate_to,
      entities: JSON.parse(r.entities) as VoiceEntity[],
      approval: null,
      result: stored?.result ?? null,
      touched: stored?.touched ?? [],
      question: r.question,
      error: r.error,
      transcription: null,
      timings: { understandMs: r.understand_ms ?? 0, totalMs: r.understand_ms ?? 0 },
    };
  }
}

/** The instructions of the voice.intent model step: the closed set of intents and actions, as data. */
export function intentSystemPrompt(now: Date, timeZone: string): string {
  const actions = ACTIONS.filter((a) => (VOICE_ACTIONS as readonly string[]).includes(a.name)).map((a) => `- ${a.name} (${a.risk}): ${a.description} Arguments: ${JSON.stringify(actionJsonSchema(a))}`);
  return [
    'You turn one spoken command for a business operations app into JSON (schema voice_intent). You never execute anything.',
    `Today is ${now.toISOString().slice(0, 10)}; the speaker's time zone is ${timeZone}.`,
    `kind: navigate (page: ${Object.keys(VOICE_PAGES).join(', ')}), open_record (entity: ${Object.keys(VOICE_ENTITIES).join(', ')}; reference: the code, number or name said), search (query), filter_insights (severity), action (one of the actions below), or unclear (with a short question).`,
    'For an action: put literal arguments in args. Do NOT invent ids: put every record the speaker names in mentions ({field, entity, text}: the argument it fills, e.g. dealId, and the words said) and every date or time in times ({field, text}: e.g. dueDate, "tomorrow at nine"). The app resolves them.',
    'confidence: how sure you are that this is what the speaker wants (0–1). If the command is ambiguous, use kind unclear and ask one short question.',
    'Actions:',
    ...actions,
  ].join('\n');
}
