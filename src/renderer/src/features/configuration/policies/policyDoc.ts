import { isMap, parseDocument } from 'yaml';
import type { PolicyChainEntry, PolicyEntry } from '@shared/policyResolution';
import { plainYamlMessage } from '@shared/yamlWords';

/**
 * The policy form edits the YAML document itself (through the yaml library's document model), so comments, key
 * order and formatting the admin wrote by hand survive a form edit, and the form and the YAML view never disagree.
 */

export type ChainEntry = Exclude<PolicyChainEntry, string>;

/** One use case's own entry, as written in the document (nothing inherited). */
export type UseCaseEntry = PolicyEntry;

export type ReadResult = { ok: true; entries: Record<string, UseCaseEntry | null> } | { ok: false; message: string };

/** The document's use_cases, or why it cannot be read (a syntax error: the YAML view shows where). */
export function readEntries(yaml: string): ReadResult {
  const doc = parseDocument(yaml);
  if (doc.errors.length) return { ok: false, message: plainYamlMessage(doc.errors[0]!.code, doc.errors[0]!.message.split('\n')[0]!) };
  const js = doc.toJS() as { use_cases?: unknown } | null;
  const uc = js && typeof js === 'object' ? js.use_cases : undefined;
  if (uc !== undefined && uc !== null && (typeof uc !== 'object' || Array.isArray(uc))) return { ok: false, message: 'use_cases must be a map of use cases.' };
  return { ok: true, entries: (uc ?? {}) as Record<string, UseCaseEntry | null> };
}

const isEmptyValue = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * Sets (or, with undefined, removes) one key of a use case's entry and returns the new document text. Objects and
 * lists are written in flow style (`{ usd: 2 }`, `['@primary', …]`), like the shipped default. Removing the last
 * key of a nested map removes the map too, so the document does not fill up with empty `{}`.
 */
export function setUseCaseField(yaml: string, useCase: string, path: readonly string[], value: unknown): string {
  const doc = parseDocument(yaml);
  if (doc.errors.length) throw new Error('The YAML has a syntax error; fix it in the YAML view first.');
  const full = ['use_cases', useCase, ...path];
  if (isEmptyValue(value)) {
    if (doc.hasIn(full)) doc.deleteIn(full);
    for (let n = full.length - 1; n > 2; n--) {
      const parent = doc.getIn(full.slice(0, n), true);
      if (isMap(parent) && parent.items.length === 0) doc.deleteIn(full.slice(0, n));
      else break;
    }
  } else {
    // A use case written as `name: {}` or `name:` (null) becomes a map we can add to.
    if (!isMap(doc.getIn(['use_cases'], true))) doc.setIn(['use_cases'], doc.createNode({}));
    const entry = doc.getIn(['use_cases', useCase], true);
    if (!isMap(entry)) doc.setIn(['use_cases', useCase], doc.createNode({}));
    for (let n = 3; n < full.length; n++) {
      if (!isMap(doc.getIn(full.slice(0, n), true))) doc.setIn(full.slice(0, n), doc.createNode({}, { flow: true }));
    }
    doc.setIn(full, value !== null && typeof value === 'object' ? doc.createNode(value, { flow: true }) : value);
  }
  return doc.toString({ lineWidth: 0 });
}

/** Adds an empty entry for a use case (so it appears in the document and can be given its own settings). */
export function addUseCase(yaml: string, useCase: string): string {
  const doc = parseDocument(yaml);
  if (doc.errors.length) throw new Error('The YAML has a syntax error; fix it in the YAML view first.');
  if (!isMap(doc.getIn(['use_cases'], true))) doc.setIn(['use_cases'], doc.createNode({}));
  if (!doc.hasIn(['use_cases', useCase])) doc.setIn(['use_cases', useCase], doc.createNode({}, { flow: true }));
  return doc.toString({ lineWidth: 0 });
}

/** Removes a use case's own entry: it then inherits everything (from persona.* or default). */
export function removeUseCase(yaml: string, useCase: string): string {
  const doc = parseDocument(yaml);
  if (doc.errors.length) throw new Error('The YAML has a syntax error; fix it in the YAML view first.');
  if (doc.hasIn(['use_cases', useCase])) doc.deleteIn(['use_cases', useCase]);
  return doc.toString({ lineWidth: 0 });
}

/** '@primary' / 'name' / {endpoint, model} → one shape for the chain editor. */
export const toChainEntry = (raw: string | ChainEntry): ChainEntry => (typeof raw === 'string' ? { endpoint: raw } : { endpoint: raw.endpoint, ...(raw.model ? { model: raw.model } : {}) });

/** The chain editor's rows → the document's shortest form (a bare name when there is no model). */
export const fromChainEntries = (rows: ChainEntry[]): (string | ChainEntry)[] =>
  rows.filter((r) => r.endpoint.trim()).map((r) => (r.model?.trim() ? { endpoint: r.endpoint.trim(), model: r.model.trim() } : r.endpoint.trim()));
