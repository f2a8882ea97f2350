/** An in-process engine for CLI verbs, with job progress on stderr and Ctrl+C cancelling the running job. */
import type { JobEvent } from '../../shared/api/jobs';
import { appRoot, appVersion, createEngine, type JobContext, samplePath, type StudioEngine, userDataDir } from '../engine';
import { clearStatus, printErr, showStatus, stderrIsTerminal } from './output';

/** Writes job progress to stderr, one updating line on a terminal, sparse lines otherwise. */
function progressPrinter(quiet: boolean): (event: JobEvent) => void {
  const tty = stderrIsTerminal();
  let lastLine = 0;
  return (event) => {
    if (quiet) return;
    if (event.kind === 'progress') {
      const pct = Math.round(event.progress * 100);
      const text = `  ${String(pct).padStart(3)}%  ${event.stage}`;
      if (tty) showStatus(text);
      else if (Date.now() - lastLine > 2000) {
        lastLine = Date.now();
        printErr(text);
      }
    } else if (event.kind === 'ended' && tty) {
      clearStatus();
    } else if (event.kind === 'log' && process.env.DEPLOY_STUDIO_VERBOSE) {
      printErr(`  ${event.line}`);
    }
  };
}

/**
 * Creates the engine for one CLI run.
 * @param opts - `quiet` hides progress (the `--json` output stays clean on stdout either way)
 */
export function createCliEngine(opts: { quiet?: boolean } = {}): StudioEngine {
  const root = appRoot();
  const engine = createEngine({
    dataDir: userDataDir(),
    samplePath: samplePath(root),
    appVersion: appVersion(root),
    onJobEvent: progressPrinter(Boolean(opts.quiet)),
  });
  engines.add(engine);
  return engine;
}

const engines = new Set<StudioEngine>();

/** Stops the inference processes of every engine this CLI run made (the verb has finished; nothing else may keep the process alive). */
export function disposeCliEngines(): void {
  for (const engine of engines) engine.dispose();
  engines.clear();
}

/**
 * Runs work as a job of the engine; Ctrl+C cancels it (a second Ctrl+C exits at once).
 * @returns the job's result
 */
export async function runCliJob<T>(engine: StudioEngine, kind: string, title: string, body: (job: JobContext) => Promise<T>): Promise<T> {
  const { jobId, result } = engine.jobs.start(kind, title, body);
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    printErr('\ncancelling… (Ctrl+C again to quit now)');
    engine.jobs.cancel(jobId);
  };
  process.on('SIGINT', onSigint);
  try {
    return await result;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
