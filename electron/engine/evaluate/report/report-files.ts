/** Writes a comparison's report in each format (HTML, JSON, CSV, Markdown), atomically. */
import * as path from 'node:path';
import type { CompareResultDto, SearchResultDto } from '../../../../shared/api/evaluate-dto';
import { compareCsv } from '../../../../shared/evaluate/compare-format';
import { controlsEscaped, jsonText } from '../../../../shared/security/untrusted-text';
import { writeFileAtomic } from '../../store/atomic-write';
import { compareHtml } from './report-html';
import { compareMarkdown } from './report-markdown';

/** The report formats. */
export type ReportFormat = 'html' | 'json' | 'csv' | 'md';

const EXTENSIONS: Record<ReportFormat, string> = { html: '.html', json: '.json', csv: '.csv', md: '.md' };
const MIME: Record<ReportFormat, string> = { html: 'text/html', json: 'application/json', csv: 'text/csv', md: 'text/markdown' };

/** @returns the report's text in a format. */
export function reportContent(format: ReportFormat, result: CompareResultDto, search: SearchResultDto | null = null): string {
  switch (format) {
    case 'html':
      return compareHtml(result, search);
    case 'json':
      return jsonText(search ? { ...result, search: { ...search, comparison: undefined } } : result, 2) + '\n';
    case 'csv':
      return controlsEscaped(compareCsv(result.rows));
    case 'md':
      return compareMarkdown(result, search);
  }
}

/** @returns the MIME type of a format (for downloads). */
export function reportMime(format: ReportFormat): string {
  return MIME[format];
}

/** @returns the format a file name implies (`.htm`/`.html`, `.json`, `.csv`, `.md`), or undefined. */
export function formatOfPath(file: string): ReportFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.htm' || ext === '.html') return 'html';
  return (Object.keys(EXTENSIONS) as ReportFormat[]).find((f) => EXTENSIONS[f] === ext);
}

/**
 * Writes a report file atomically.
 * @param file - where; the extension is added when missing
 * @returns the path written and its size
 */
export function writeReport(file: string, format: ReportFormat, result: CompareResultDto, search: SearchResultDto | null = null): { path: string; sizeBytes: number } {
  const target = path.resolve(formatOfPath(file) ? file : `${file}${EXTENSIONS[format]}`);
  const text = reportContent(format, result, search);
  writeFileAtomic(target, text);
  return { path: target, sizeBytes: Buffer.byteLength(text) };
}
