/** The small JSON file each package output carries: what made it, from which model, when. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PackageFormat } from '../../../shared/api/package-api';
import { MARKER_FILE } from './staging';

/**
 * Writes the marker into a package folder (lets a later run replace the folder with `overwrite`).
 * @param dir - the package (staging) folder
 */
export function writeMarker(dir: string, info: { format: PackageFormat; model: string }): void {
  const body = { writtenBy: 'Deploy Studio', format: info.format, sourceModel: path.basename(info.model), createdAt: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, MARKER_FILE), JSON.stringify(body, null, 2) + '\n');
}
