import { useEffect, useRef } from 'react';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import type { ConfigIssue } from '../../../stores/policiesStore';

/**
 * Colours come from Mantine's CSS variables, so the editor follows the light/dark scheme without a second theme.
 * CodeMirror injects its styles as style elements (allowed by the CSP's style-src) and never evaluates code.
 */
const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--mantine-color-indigo-text)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--mantine-color-teal-text)' },
  { tag: [t.number, t.bool, t.null], color: 'var(--mantine-color-orange-text)' },
  { tag: [t.comment, t.lineComment], color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' },
  { tag: [t.keyword, t.meta, t.labelName, t.typeName], color: 'var(--mantine-color-grape-text)' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: 'var(--mantine-color-dimmed)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '13px', backgroundColor: 'var(--mantine-color-body)', color: 'var(--mantine-color-text)', height: '100%' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--mantine-color-text)' },
  '.cm-cursor': { borderLeftColor: 'var(--mantine-color-text)' },
  '.cm-gutters': { backgroundColor: 'var(--mantine-color-default)', color: 'var(--mantine-color-dimmed)', borderRight: '1px solid var(--mantine-color-default-border)' },
  '.cm-activeLine': { backgroundColor: 'var(--mantine-color-default-hover)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--mantine-color-default-hover)', color: 'var(--mantine-color-text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--mantine-primary-color-light) !important' },
  '.cm-tooltip': { backgroundColor: 'var(--mantine-color-body)', border: '1px solid var(--mantine-color-default-border)', borderRadius: '6px' },
  '.cm-diagnostic': { fontFamily: 'var(--mantine-font-family)', fontSize: '13px' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--mantine-color-red-6)', textUnderlineOffset: '3px' },
  '.cm-lintRange-warning': { backgroundImage: 'none', textDecoration: 'underline wavy var(--mantine-color-yellow-6)', textUnderlineOffset: '3px' },
});

/** Issue (1-based line and column, either may be missing) → a range in the document: the rest of the word, or the line. */
export function issueRange(doc: Text, issue: Pick<ConfigIssue, 'line' | 'column'>): { from: number; to: number } {
  const lineNo = Math.min(Math.max(issue.line ?? 1, 1), doc.lines);
  const line = doc.line(lineNo);
  if (!issue.column || issue.column < 1) {
    const firstNonSpace = line.text.search(/\S/);
    return { from: line.from + Math.max(0, firstNonSpace), to: line.to };
  }
  const from = Math.min(line.from + issue.column - 1, line.to);
  const rest = line.text.slice(from - line.from);
  const word = /^[^\s:,{}[\]]+/.exec(rest)?.[0].length ?? 0;
  return { from, to: Math.max(from + word, Math.min(from + 1, line.to)) };
}

function diagnostics(doc: Text, issues: readonly ConfigIssue[]): Diagnostic[] {
  return issues.map((i) => ({ ...issueRange(doc, i), severity: i.severity, message: i.path ? `${i.path}: ${i.message}` : i.message, source: 'policy check' }));
}

export interface YamlEditorHandle {
  /** Moves the cursor to a line and scrolls it into view (clicking an issue in the list). */
  goTo(line: number, column?: number | null): void;
}

/** A YAML editor with line numbers, highlighting, undo and inline, line-numbered diagnostics. */
export function YamlEditor({
  value,
  onChange,
  issues,
  readOnly = false,
  label,
  height = 520,
  handleRef,
}: {
  value: string;
  onChange: (text: string) => void;
  issues: readonly ConfigIssue[];
  readOnly?: boolean;
  label: string;
  height?: number | string;
  handleRef?: React.RefObject<YamlEditorHandle | null>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  // Created once per mount and per read-only switch; the text is synced below.
  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          lintGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          yaml(),
          syntaxHighlighting(highlight),
          theme,
          EditorView.lineWrapping,
          EditorState.tabSize.of(2),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', spellcheck: 'false' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The initial value only seeds the editor; later values arrive through the sync effect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readOnly, label]);

  // Outside changes (the form view, discard, a reload) replace the text; the user's own typing is already there.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== value) v.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, diagnostics(v.state.doc, issues)));
  }, [issues, value]);

  useEffect(() => {
    if (!handleRef) return;
    handleRef.current = {
      goTo(line, column) {
        const v = view.current;
        if (!v) return;
        const { from } = issueRange(v.state.doc, { line, column: column ?? null });
        v.dispatch({ selection: { anchor: from }, effects: EditorView.scrollIntoView(from, { y: 'center' }) });
        v.focus();
      },
    };
  }, [handleRef]);

  return <div ref={host} style={{ height, overflow: 'hidden', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }} data-testid="yaml-editor" />;
}
