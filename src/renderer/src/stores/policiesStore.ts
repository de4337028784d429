import { create } from 'zustand';
import type { PolicyState } from '@shared/contract';
import { AppError } from '@shared/errors';
import { call, errorMessage, on } from '../api/client';

export type ConfigIssue = PolicyState['issues'][number];

/** How long typing pauses before the draft is checked by the core. */
export const VALIDATE_DEBOUNCE_MS = 350;

interface PoliciesState {
  workspace: string | null;
  /** The document in force, with every use case's effective policy. */
  saved: PolicyState | null;
  loading: boolean;
  loadError: string | null;
  /** What the editor holds (form and YAML views edit the same text). */
  draft: string;
  /** Problems of `checkedDraft`, from policies.validate. */
  issues: ConfigIssue[];
  checkedDraft: string | null;
  checking: boolean;
  checkError: string | null;
  saving: boolean;
  /** The last refused save: the message, and that the saved document stayed in force. */
  refused: string | null;
  /** The saved document changed elsewhere (CLI, another window) while this draft had edits. */
  changedElsewhere: boolean;
  load(workspace: string): Promise<void>;
  setDraft(yaml: string): void;
  validateNow(): Promise<void>;
  save(): Promise<boolean>;
  resetToDefault(): Promise<boolean>;
  discard(): void;
}

let timer: ReturnType<typeof setTimeout> | null = null;
let checkSeq = 0;

export const usePoliciesStore = create<PoliciesState>((set, get) => ({
  workspace: null,
  saved: null,
  loading: false,
  loadError: null,
  draft: '',
  issues: [],
  checkedDraft: null,
  checking: false,
  checkError: null,
  saving: false,
  refused: null,
  changedElsewhere: false,
  async load(workspace) {
    const switching = get().workspace !== workspace;
    set({ loading: true, workspace, ...(switching ? { saved: null, draft: '', issues: [], checkedDraft: null, refused: null } : {}) });
    try {
      const saved = await call('policies.get', { workspace });
      if (get().workspace !== workspace) return;
      const s = get();
      // Keep the user's edits when only the saved side refreshed (a provider change moves the chains).
      const keepDraft = !switching && s.saved !== null && s.draft !== s.saved.yaml;
      set({
        saved,
        loading: false,
        loadError: null,
        changedElsewhere: keepDraft && s.saved !== null && s.saved.rev !== saved.rev,
        ...(keepDraft ? {} : { draft: saved.yaml, issues: saved.issues, checkedDraft: saved.yaml, refused: null }),
      });
    } catch (e) {
      if (get().workspace === workspace) set({ loading: false, loadError: errorMessage(e) });
    }
  },
  setDraft(yaml) {
    set({ draft: yaml, refused: null });
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void get().validateNow();
    }, VALIDATE_DEBOUNCE_MS);
  },
  async validateNow() {
    const { workspace, draft } = get();
    if (!workspace) return;
    const seq = ++checkSeq;
    set({ checking: true });
    try {
      const res = await call('policies.validate', { workspace, yaml: draft });
      // Only the answer for the latest text counts; an older one arriving late is dropped.
      if (seq === checkSeq) set({ issues: res.issues, checkedDraft: draft, checking: false, checkError: null });
    } catch (e) {
      if (seq === checkSeq) set({ checking: false, checkError: errorMessage(e) });
    }
  },
  async save() {
    const { workspace, draft } = get();
    if (!workspace) return false;
    if (timer) clearTimeout(timer);
    set({ saving: true, refused: null });
    try {
      const saved = await call('policies.set', { workspace, yaml: draft });
      set({ saved, draft: saved.yaml, issues: saved.issues, checkedDraft: saved.yaml, saving: false, changedElsewhere: false });
      return true;
    } catch (e) {
      const err = e instanceof AppError ? e : AppError.wrap(e);
      const issues = Array.isArray(err.details?.issues) ? (err.details.issues as ConfigIssue[]).filter((i) => typeof i.message === 'string' && 'severity' in i) : null;
      set({ saving: false, refused: err.message, ...(issues ? { issues, checkedDraft: draft } : {}) });
      return false;
    }
  },
  async resetToDefault() {
    const { workspace } = get();
    if (!workspace) return false;
    set({ saving: true, refused: null });
    try {
      const saved = await call('policies.reset', { workspace });
      set({ saved, draft: saved.yaml, issues: saved.issues, checkedDraft: saved.yaml, saving: false, changedElsewhere: false });
      return true;
    } catch (e) {
      set({ saving: false, refused: errorMessage(e) });
      return false;
    }
  },
  discard() {
    const saved = get().saved;
    if (timer) clearTimeout(timer);
    if (saved) set({ draft: saved.yaml, issues: saved.issues, checkedDraft: saved.yaml, refused: null, changedElsewhere: false });
  },
}));

export const selectDirty = (s: PoliciesState): boolean => s.saved !== null && s.draft !== s.saved.yaml;
export const selectErrors = (s: PoliciesState): ConfigIssue[] => s.issues.filter((i) => i.severity === 'error');
/** The issues shown are for an older text while a check is pending. */
export const selectStale = (s: PoliciesState): boolean => s.checkedDraft !== s.draft;

/** Reload when policies change elsewhere, or when providers change (chains resolve against them). */
export function bindPoliciesEvents(): () => void {
  return on('gateway.changed', (e) => {
    const s = usePoliciesStore.getState();
    if (!s.workspace) return;
    if (e.what === 'providers' || e.what === 'prices' || ((e.what === 'policies' || e.what === 'budgets') && e.workspace === s.workspace)) void s.load(s.workspace);
  });
}
