/**
 * THE one escaping of input-derived text for messages (terminal, log, notification). An input may
 * hold a `\r`, an escape sequence or a newline that would rewrite or forge a line such as
 * `E_FAKE: all good`; every such character is shown as a `\uXXXX` escape instead (valid inside
 * JSON strings too, so JSON output stays JSON).
 */

/* eslint-disable no-control-regex -- matching control characters is this file's purpose */
/** C0 controls but newline and tab, DEL, C1 controls, line/paragraph separators, bidi overrides, BOM. */
const UNSAFE_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** The same plus newline and tab: for a value embedded in one line. */
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
/* eslint-enable no-control-regex */

const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Whole output text (may span lines): controls escaped, line structure kept. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_KEEP_LINES, escapeChar);
}

/** A value inside a one-line message, unquoted (e.g. a finding's message). */
export function oneLine(text: unknown): string {
  return String(text).replace(UNSAFE_ONE_LINE, escapeChar);
}

/** How long a quoted value may get before it is cut (a name of 100 kB is not worth printing). */
const MAX_SHOWN = 120;

const cut = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text);

/** A value for a message: a string in JSON string syntax, anything else as JSON; controls escaped, cut after 120 characters. */
export function quoted(value: unknown): string {
  return oneLine(typeof value === 'string' ? JSON.stringify(cut(value)) : cut(JSON.stringify(value) ?? String(value)));
}

const ANY_UNSAFE = new RegExp(UNSAFE_ONE_LINE.source);

/** True when the text holds a character that oneLine would escape. */
export function hasControlCharacter(text: string): boolean {
  return ANY_UNSAFE.test(text);
}
