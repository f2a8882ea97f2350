/** Serves a file a package job produced (the bundle's zip) by its download id: `GET /api/download/<id>`. */
import * as fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { toErrorDto } from '../../shared/api/errors';
import type { EngineClient } from '../engine';

const ID = /^\/api\/download\/([A-Za-z0-9_-]{8,64})$/;

/** @returns true when the path is a download URL (the caller has already checked the session token). */
export function isDownloadPath(pathname: string): boolean {
  return ID.test(pathname);
}

/**
 * Streams the file behind the id as an attachment; only ids the engine handed out resolve.
 * @param client - the engine host, which knows its download ids
 */
export async function handleDownload(pathname: string, res: ServerResponse, client: EngineClient): Promise<void> {
  const id = (ID.exec(pathname) as RegExpExecArray)[1];
  let file: { path: string; fileName: string; sizeBytes: number };
  try {
    file = await client.call('resolveDownload', { downloadId: id });
  } catch (err) {
    const dto = toErrorDto(err);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(dto.message);
    return;
  }
  const ascii = file.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    'Content-Type': 'application/zip',
    'Content-Length': file.sizeBytes,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  fs.createReadStream(file.path).pipe(res);
}
