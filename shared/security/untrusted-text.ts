/** The one sanitizer for text that comes from a model file (names, metadata, doc strings, onnxruntime's messages). */

/**
 * Code points a terminal may act on: the C0 controls except tab and newline (ESC starts every escape sequence), DEL,
 * and the C1 controls (U+009B is a one-character CSI on terminals that read 8-bit controls).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this module is for
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** The same, with tab and newline: one value printed on one line. */
// eslint-disable-next-line no-control-regex -- finding control characters is what this module is for
const ALL_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/**
 * Invisible code points that reorder or break displayed text (bidirectional embeddings, overrides, isolates and marks;
 * line and paragraph separators): shown escaped so a name reads as the bytes it holds.
 */
const INVISIBLE = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** JSON text: what JSON.stringify leaves raw and a terminal or a JavaScript parser may act on. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Longest value shown on one line (names, metadata values) before it is cut with a note. */
export const MAX_VALUE_CHARS = 300;
/** Longest line the CLI prints before it is cut with a note (a net under {@link MAX_VALUE_CHARS}). */
export const MAX_LINE_CHARS = 4000;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

/**
 * @param c - one UTF-16 code unit
 * @returns its escaped form: `\x1b` for code points below U+0100, `\u202e` above
 */
export function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code === 0x09) return '\\t';
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  return code < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
}

/** @returns `12 345`: a count with its thousands grouped by spaces. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/**
 * Cuts text longer than `max` characters and says how much was left out.
 * @param text - the text
 * @param max - characters kept at most (a surrogate pair is never split)
 * @returns the text, or its start followed by `… (12 345 more characters)`
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${grouped(text.length - end)} more characters)`;
}

/**
 * One value from a model (a name, a metadata key or value, a producer) made safe for one line of a terminal, a log or a
 * plain-text table: every control character (tab and newline too) and every invisible reordering mark is shown
 * escaped, and a value longer than `max` is cut with a note.
 * @param value - the untrusted value
 * @param max - characters kept before the note (after escaping)
 */
export function plainText(value: unknown, max = MAX_VALUE_CHARS): string {
  const text = String(value).replace(ALL_CONTROLS, escapeChar).replace(INVISIBLE, escapeChar);
  return cutText(text, max);
}

/**
 * Text of several lines (a whole CLI output, an error message that quotes a model) made safe for a terminal: newlines
 * and tabs stay, every other control character and invisible reordering mark is shown escaped (`\x1b`), and each line
 * longer than `maxLine` is cut with a note.
 * @param text - the text, which may hold untrusted parts anywhere
 * @param maxLine - characters kept per line
 */
export function terminalText(text: string, maxLine = MAX_LINE_CHARS): string {
  const escaped = text.replace(TERMINAL_CONTROLS, escapeChar).replace(INVISIBLE, escapeChar);
  if (escaped.length <= maxLine) return escaped;
  return escaped
    .split('\n')
    .map((line) => cutText(line, maxLine))
    .join('\n');
}

/**
 * Markup or other text whose own escaping is done (ECharts' SVG, say): only its control characters and invisible
 * reordering marks are shown escaped (`\x1b`), newlines and tabs stay.
 */
export function controlsEscaped(text: string): string {
  return text.replace(TERMINAL_CONTROLS, escapeChar).replace(INVISIBLE, escapeChar);
}

/**
 * JSON that a terminal can show: `JSON.stringify`, whose string escapes cover U+0000–U+001F, plus `\u` escapes for
 * DEL, the C1 controls and the invisible reordering marks. The parsed value is unchanged.
 * @param value - anything JSON.stringify accepts
 * @param indent - spaces per level (none: one line)
 */
export function jsonText(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent) ?? 'null';
  // outside strings JSON holds only ASCII punctuation, digits, letters and whitespace: every match is inside a string
  return text.replace(JSON_RAW, (c) => `\\u${hex(c, 4)}`);
}

/**
 * Text for HTML (element content or a quoted attribute value): the five HTML specials become entities and control
 * characters are shown escaped (`\x1b`), so the file is also safe to print in a terminal.
 * @param value - the untrusted value
 * @param max - characters kept before a cut with a note (no cut when left out)
 */
export function htmlText(value: unknown, max?: number): string {
  let text = String(value).replace(TERMINAL_CONTROLS, escapeChar).replace(INVISIBLE, escapeChar);
  if (max !== undefined) text = cutText(text, max);
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Text for XML (SVG): as {@link htmlText}, with tab and newline escaped too (XML 1.0 forbids the other controls, and a
 * label stays on its line).
 */
export function xmlText(value: unknown, max?: number): string {
  let text = String(value).replace(ALL_CONTROLS, escapeChar).replace(INVISIBLE, escapeChar);
  if (max !== undefined) text = cutText(text, max);
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Text for Markdown prose and table cells: one line, controls escaped, and every character Markdown or inline HTML
 * gives a meaning (`\ ` * _ [ ] < > | # ! ~` …) backslash-escaped, so a name can neither format, link nor break a table.
 * @param value - the untrusted value
 * @param max - characters kept before a cut with a note
 */
export function markdownText(value: unknown, max = MAX_VALUE_CHARS): string {
  return plainText(value, max).replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}

/**
 * A Markdown code span holding an untrusted value: one line, controls escaped, fenced with more backticks than the
 * value's longest run, and `|` written as `\|` so a table stays whole (GitHub reads it as `|` inside the span).
 * @param value - the untrusted value
 * @param max - characters kept before a cut with a note
 */
export function markdownCode(value: unknown, max = MAX_VALUE_CHARS): string {
  const text = plainText(value, max).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Names Windows reserves for devices, whatever the extension. */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A file or folder name stem made from untrusted text: lower-case ASCII letters, digits and single hyphens only, so it
 * can never hold a path separator, `..`, a control character, a leading dot or a Windows device name.
 * @param value - the untrusted text (a model's or a variant's name)
 * @param options - `max` characters kept (default 48), `fallback` when nothing usable is left
 */
export function fileNameStem(value: string, options: { max?: number; fallback?: string } = {}): string {
  const stem = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, options.max ?? 48)
    .replace(/-+$/, '');
  return stem && !WINDOWS_DEVICES.test(stem) ? stem : (options.fallback ?? 'model');
}

/**
 * @returns true when text holds a code point {@link terminalText} would escape (a control character outside tab and
 * newline, or an invisible reordering mark)
 */
export function hasUnsafeChars(text: string): boolean {
  return new RegExp(TERMINAL_CONTROLS.source).test(text) || new RegExp(INVISIBLE.source).test(text);
}
