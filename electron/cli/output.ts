/**
 * The CLI's only way to the terminal (lint forbids process.stdout, process.stderr and console elsewhere in electron/cli):
 * text goes through the untrusted-text sanitizer line by line, JSON keeps its content with every control escaped.
 */
import { jsonText, terminalText } from '../../shared/security/untrusted-text';

/** Prints text on stdout, followed by a newline; control characters from a model are shown escaped. */
export function printOut(text: string): void {
  process.stdout.write(`${terminalText(text)}\n`);
}

/** Prints text on stderr, followed by a newline; control characters from a model are shown escaped. */
export function printErr(text: string): void {
  process.stderr.write(`${terminalText(text)}\n`);
}

/**
 * Prints one JSON document on stdout (valid JSON, the value unchanged; DEL and C1 controls escaped as `\u00XX`).
 * @param indent - spaces per level; none prints one line
 */
export function printJson(value: unknown, indent?: number): void {
  process.stdout.write(`${jsonText(value, indent)}\n`);
}

/** @returns true when stderr is a terminal (progress lines update in place there). */
export function stderrIsTerminal(): boolean {
  return Boolean(process.stderr.isTTY);
}

/** Widest status line, so one never wraps on a usual terminal. */
const STATUS_WIDTH = 100;

/**
 * Replaces the status line at the bottom of an interactive stderr (progress); the only place the CLI writes its own
 * control sequences (carriage return, erase line).
 */
export function showStatus(text: string): void {
  const line = terminalText(text.replace(/\n/g, ' ')).slice(0, STATUS_WIDTH);
  process.stderr.write(`\r\x1b[K${line}`);
}

/** Clears the status line {@link showStatus} wrote. */
export function clearStatus(): void {
  process.stderr.write('\r\x1b[K');
}
