/** `deploy-studio serve`: the studio in a browser, backed by an engine host process. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appRoot, appVersion, EngineClient, forkTransport, outDir, samplePath, userDataDir } from '../engine';
import { startServer } from '../server/studio-server';
import { printOut } from './output';

export interface ServeOptions {
  port?: string;
  host?: string;
  open?: boolean;
  token?: string;
  model?: string;
  /** folders whose files the session may read and write by path (`--allow DIR`, repeatable) */
  allow?: string[];
}

/**
 * @returns the granted folders as absolute paths
 * @throws Error naming a folder that does not exist or is a file
 */
export function allowedFolders(dirs: string[] = []): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const abs = path.resolve(d);
    let isDir = false;
    try {
      isDir = fs.statSync(abs).isDirectory();
    } catch {
      throw new Error(`--allow ${d}: ${abs} does not exist. Give a folder that exists.`);
    }
    if (!isDir) throw new Error(`--allow ${d}: ${abs} is a file. Give the folder that holds it.`);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}

/** Opens a URL in the system browser, if there is one; @returns whether a browser was started. */
export function openBrowser(url: string): boolean {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '""', url] : [url];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** Runs the server until the process is stopped. */
export async function runServe(opts: ServeOptions): Promise<void> {
  const root = appRoot();
  const rendererDir = path.join(outDir(root), 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir} is missing): run \`npm run build\` first.`);
  }
  const granted = allowedFolders(opts.allow);
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-studio-uploads-'));
  const roots = [path.dirname(samplePath(root)), ...granted];
  if (opts.model) roots.push(path.dirname(path.resolve(opts.model)));
  const client = new EngineClient(() => forkTransport(path.join(outDir(root), 'engine', 'engine-host.cjs')), {
    dataDir: userDataDir(),
    samplePath: samplePath(root),
    appVersion: appVersion(root),
    allowedRoots: roots,
    // results come as JSON text, sent on to the browser as they are
    jsonResults: true,
  });
  // the engine host starts while the browser loads the page, not at the page's first call
  client.start();
  const port = opts.port ? Number(opts.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got "${opts.port}".`);
  const server = await startServer({ client, rendererDir, uploadDir, allowedFolders: granted, port, host: opts.host, token: opts.token });
  const url = opts.model ? `${server.url}&model=${encodeURIComponent(path.resolve(opts.model))}` : server.url;
  printOut(`Deploy Studio is serving on ${url}`);
  if (granted.length) printOut(`Files inside ${granted.join(', ')} may be used by path; anything else is uploaded.`);
  if (opts.open !== false && openBrowser(url)) printOut('Opened it in your browser.');
  const stop = async () => {
    await server.close();
    client.dispose();
    fs.rmSync(uploadDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
