import type { ErrorCode as YAMLErrorCode } from 'yaml';

/** YAML syntax errors in words a person editing a policy understands (the parser's own wording is for YAML experts). */
const YAML_WORDS: Partial<Record<YAMLErrorCode, string>> = {
  BAD_INDENT: 'The indentation is off here: keys at the same level must line up, and nested keys go two spaces further in.',
  TAB_AS_INDENT: 'A tab is used to indent; YAML needs spaces.',
  BLOCK_AS_IMPLICIT_KEY: 'A value holds ": " (as in "a: b: c"): put the value in quotes, or put the nested key on a line of its own, indented.',
  MULTILINE_IMPLICIT_KEY: 'A key runs over more than one line; keep each "key:" on one line, and check for a missing ":".',
  DUPLICATE_KEY: 'This key appears twice at the same level; keep one of them.',
  MISSING_CHAR: 'Something is not closed here: a quote, a bracket or a brace is missing.',
  UNEXPECTED_TOKEN: 'This character is not expected here; check for a stray ":" "-" or quote.',
  BAD_DQ_ESCAPE: 'An escape sequence inside double quotes is not valid; use single quotes for text with backslashes.',
  BAD_SCALAR_START: 'A value starts with a character that must be quoted (such as @ or `); put the value in quotes.',
  BLOCK_IN_FLOW: 'A multi-line block is used inside [ ] or { }; write it on one line or drop the brackets.',
  MULTIPLE_DOCS: 'The text holds more than one YAML document ("---"); keep one.',
  BAD_ALIAS: 'An alias (*name) points at an anchor (&name) that does not exist.',
  KEY_OVER_1024_CHARS: 'A key is longer than 1,024 characters.',
};

/** The parser's message in plain words where there is a translation (every common syntax error has one). */
export function plainYamlMessage(code: YAMLErrorCode, original: string): string {
  return YAML_WORDS[code] ?? original;
}
