/** Plain-text formatting helpers for the CLI's human-readable output. */
import { MAX_VALUE_CHARS, plainText } from '../../shared/security/untrusted-text';

/** Longest last cell of a row (it widens no other row). */
const MAX_LAST_CELL = 2000;

/**
 * Renders rows as aligned columns. Each cell is one line: control characters (newlines and tabs too) are shown
 * escaped and a long cell is cut with a note (300 characters, 2000 in the last column), so a hostile name can neither
 * break the table nor widen every row.
 */
export function table(rows: string[][], indent = '  '): string {
  const cells = rows.map((r) => r.map((c, i) => plainText(c, i === r.length - 1 ? MAX_LAST_CELL : MAX_VALUE_CHARS)));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}
