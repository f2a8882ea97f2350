/** Receives a model file uploaded from the browser into this session's upload folder. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatBytes } from '../../shared/format/bytes';

/** @returns a file name with no folder parts and no characters a file system would refuse. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const clean = base.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^\.+/, '_');
  return clean.slice(0, 200) || 'model.onnx';
}

/**
 * Streams a POST body to `<uploadDir>/<random>/<name>` and answers `{ path }`.
 * @remarks Several files of one model (an .onnx and its external data) share a folder when the client sends the
 * same `group` parameter.
 */
export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  uploadDir: string,
  maxBytes: number,
): Promise<void> {
  const name = safeFileName(url.searchParams.get('name') ?? 'model.onnx');
  const groupParam = url.searchParams.get('group') ?? '';
  const group = /^[A-Za-z0-9-]{8,64}$/.test(groupParam) ? groupParam : crypto.randomUUID();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.writeHead(413, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'MODEL_TOO_LARGE', message: `The file is larger than the ${formatBytes(maxBytes)} upload limit.` } }));
    req.resume();
    return;
  }
  const dir = path.join(uploadDir, group);
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, name);
  const tmp = `${dest}.${crypto.randomBytes(4).toString('hex')}.part`;
  const out = fs.createWriteStream(tmp, { flags: 'wx' });
  let received = 0;
  let failed = false;
  const fail = (status: number, code: string, message: string) => {
    if (failed) return;
    failed = true;
    out.destroy();
    fs.rmSync(tmp, { force: true });
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code, message } }));
  };
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      fail(413, 'MODEL_TOO_LARGE', `The file is larger than the ${formatBytes(maxBytes)} upload limit.`);
      req.destroy();
    }
  });
  req.on('error', () => fail(400, 'FILE_UNREADABLE', 'The upload was interrupted.'));
  req.pipe(out);
  out.on('finish', () => {
    if (failed) return;
    fs.renameSync(tmp, dest);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ path: dest, group }));
  });
  out.on('error', () => fail(500, 'FILE_UNREADABLE', 'The upload could not be stored.'));
}
