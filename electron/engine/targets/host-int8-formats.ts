/** This host's measured int8 format table (`host-int8-formats.json` in the data folder, written by `npm run bench -- int8-formats`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Int8FormatTableSchema, type Int8FormatTable } from '../../../shared/targets/int8-formats';
import { userDataDir } from '../host/app-paths';

/** The table's file name in the data folder. */
export const INT8_TABLE_FILE = 'host-int8-formats.json';

/** @returns where the table of this host is kept. */
export function int8TablePath(dataDir = userDataDir()): string {
  return path.join(dataDir, INT8_TABLE_FILE);
}

/**
 * Reads the table when it was measured on this CPU with this onnxruntime.
 * @param host - the CPU model and onnxruntime version the figures must be for
 * @returns the table, or why there is none (missing, unreadable, or measured elsewhere)
 */
export function readHostInt8Table(host: { cpuModel: string; onnxruntimeVersion: string }, file = int8TablePath()): { table?: Int8FormatTable; why: string } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { why: `no int8 format table at ${file} (npm run bench -- int8-formats measures one)` };
  }
  const r = Int8FormatTableSchema.safeParse(json);
  if (!r.success) return { why: `${file} is not an int8 format table (${r.error.issues[0]?.message ?? 'invalid'})` };
  if (r.data.cpuModel !== host.cpuModel || r.data.onnxruntimeVersion !== host.onnxruntimeVersion) {
    return { why: `${file} was measured on ${r.data.cpuModel} with onnxruntime ${r.data.onnxruntimeVersion}, not this ${host.cpuModel} with ${host.onnxruntimeVersion}` };
  }
  return { table: r.data, why: `measured ${r.data.measuredAt}` };
}
