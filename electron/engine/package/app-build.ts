/** `--build`: installs the generated project's dependencies, builds it and runs electron-builder, cancellable. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { AppPlatform } from '../../../shared/package/app-identity';
import type { JobContext } from '../jobs/job-runner';
import type { ElectronBinary } from './electron-dist';

const NETWORK_HINT =
  'Write the project without building and run "npm install && npm run dist" where there is internet; or fill npm\'s cache and ' +
  'electron-builder\'s cache (see "deploy-studio package --app --build --dry-run") from a machine that built once.';

/**
 * Runs a command in the project, feeding its output to the job log; the job's cancel kills it.
 * @throws StudioError `JOB_FAILED` with the last lines of output when it exits non-zero
 */
export function runStep(cmd: string, args: string[], cwd: string, ctx: JobContext, what: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    ctx.log(`$ ${[cmd, ...args].join(' ')}`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' && cmd.endsWith('.cmd') });
    const tail: string[] = [];
    let offline = false;
    const onData = (d: Buffer) => {
      for (const line of d.toString().split(/\r?\n/)) {
        if (!line.trim()) continue;
        ctx.log(line);
        if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|ENOTCACHED/.test(line)) offline = true;
        // the job log keeps stack traces; the message keeps what the tool said
        if (/^\s+at\s/.test(line) || /^\s*[•⨯]\s*$/.test(line)) continue;
        tail.push(line.trim());
        if (tail.length > 8) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const abort = () => child.kill('SIGTERM');
    ctx.signal.addEventListener('abort', abort, { once: true });
    child.on('error', (err) => {
      ctx.signal.removeEventListener('abort', abort);
      reject(new StudioError('BUILD_TOOLS_MISSING', `${what} could not start (${err.message}).`));
    });
    child.on('close', (code) => {
      ctx.signal.removeEventListener('abort', abort);
      if (ctx.signal.aborted) reject(new StudioError('JOB_CANCELLED', 'Packaging was cancelled.'));
      else if (code === 0) resolve();
      else {
        const network = offline ? `\n${what} needed the network, which this machine cannot reach. ${NETWORK_HINT}` : '';
        reject(new StudioError('JOB_FAILED', `${what} failed (exit code ${code}); nothing was written. Its last output:\n${tail.join('\n')}${network}`));
      }
    });
  });
}

/**
 * Installs, builds and packages the project in `dir`.
 * @param offline - install from npm's cache only (no network)
 * @returns the installers electron-builder wrote (paths relative to `dir`)
 */
export async function buildApp(dir: string, platform: AppPlatform, electron: ElectronBinary, offline: boolean, ctx: JobContext): Promise<string[]> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  ctx.progress(0.15, offline ? 'installing dependencies from npm\'s cache' : 'installing dependencies');
  await runStep(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...(offline ? ['--offline'] : ['--prefer-offline'])], dir, ctx, 'npm install');
  ctx.progress(0.5, 'building main, preload and window');
  await runStep(process.execPath, ['build.mjs'], dir, ctx, 'The project build (node build.mjs)', { ...process.env, ELECTRON_RUN_AS_NODE: '1' });
  ctx.progress(0.6, `electron-builder: ${platform} installers`);
  const cli = path.join(dir, 'node_modules', 'electron-builder', 'cli.js');
  await runStep(
    process.execPath,
    [cli, '--config', 'electron-builder.json', `--${platform}`, '--publish', 'never', `-c.electronDist=${electron.path}`],
    dir,
    ctx,
    'electron-builder',
    { ...process.env, ELECTRON_RUN_AS_NODE: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
  );
  const dist = path.join(dir, 'dist');
  const artifacts = fs.existsSync(dist)
    ? fs
        .readdirSync(dist, { withFileTypes: true })
        .filter((e) => e.isFile() && /\.(exe|AppImage|deb|dmg|zip|msi)$/i.test(e.name))
        .map((e) => `dist/${e.name}`)
    : [];
  if (artifacts.length === 0) throw new StudioError('JOB_FAILED', 'electron-builder finished but wrote no installer into dist/: see the job log.');
  return artifacts;
}
