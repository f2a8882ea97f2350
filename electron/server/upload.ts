/** Receives files uploaded from the browser (a model, data files, a whole folder) into this session's upload folder. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatBytes } from '../../shared/format/bytes';

/** folders a folder upload may nest (class folders of a dataset need two or three) */
const MAX_DEPTH = 8;

/** @returns a file name with no folder parts and no characters a file system would refuse. */
export function safeFileName(name: string, fallback = 'model.onnx'): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const clean = base.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^\.+/, '_');
  return clean.slice(0, 200) || fallback;
}

/**
 * @returns the relative path of a file of an uploaded folder (`val/cat/001.png`), each part made safe, or null when
 * it has no parts or nests deeper than {@link MAX_DEPTH} folders
 */
export function safeRelativePath(rel: string): string[] | null {
  const parts = rel.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.length > MAX_DEPTH + 1) return null;
  return parts.map((p) => safeFileName(p, 'file'));
}

/**
 * Streams a POST body to `<uploadDir>/<group>/<name>` (or `<uploadDir>/<group>/<rel>` for a file of a folder) and
 * answers `{ path, group, folder }`: the stored file, the group, and the group's folder.
 * @remarks The files of one upload (an .onnx and its external data; the files of a folder) share a group folder when
 * the client sends the same `group` parameter. An interrupted or cancelled upload leaves no file behind.
 */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, uploadDir: string, maxBytes: number): Promise<void> {
  const relParam = url.searchParams.get('rel');
  const parts = relParam ? safeRelativePath(relParam) : [safeFileName(url.searchParams.get('name') ?? 'model.onnx')];
  if (!parts) return reply(res, 400, { error: { code: 'INVALID_REQUEST', message: `The folder ${relParam} nests more than ${MAX_DEPTH} folders deep.` } }, req);
  const groupParam = url.searchParams.get('group') ?? '';
  const group = /^[A-Za-z0-9-]{8,64}$/.test(groupParam) ? groupParam : crypto.randomUUID();
  const tooLarge = { error: { code: 'MODEL_TOO_LARGE', message: `The file is larger than the ${formatBytes(maxBytes)} upload limit.` } };
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return reply(res, 413, tooLarge, req);
  const groupDir = path.join(uploadDir, group);
  const dest = path.join(groupDir, ...parts);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${crypto.randomBytes(4).toString('hex')}.part`;
  const out = fs.createWriteStream(tmp, { flags: 'wx' });
  let received = 0;
  let done = false;
  const fail = (status: number, body: object) => {
    if (done) return;
    done = true;
    out.destroy();
    fs.rmSync(tmp, { force: true });
    if (!res.headersSent && !res.destroyed) reply(res, status, body);
  };
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      fail(413, tooLarge);
      req.destroy();
    }
  });
  req.on('error', () => fail(400, { error: { code: 'FILE_UNREADABLE', message: 'The upload was interrupted.' } }));
  // a cancelled upload closes the request before its end
  req.on('close', () => {
    if (!req.complete) fail(400, { error: { code: 'FILE_UNREADABLE', message: 'The upload was cancelled.' } });
  });
  req.pipe(out);
  out.on('finish', () => {
    if (done || !req.complete) return fail(400, { error: { code: 'FILE_UNREADABLE', message: 'The upload was interrupted.' } });
    done = true;
    fs.renameSync(tmp, dest);
    reply(res, 200, { path: dest, group, folder: groupDir });
  });
  out.on('error', () => fail(500, { error: { code: 'FILE_UNREADABLE', message: 'The upload could not be stored.' } }));
}

function reply(res: ServerResponse, status: number, body: object, drain?: IncomingMessage): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
  drain?.resume();
}
