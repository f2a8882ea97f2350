/** The package job: progress with cancel while it runs, then what was written and how to get to it (or why it failed). */
import { NoiseMark, SessionSettings } from '../../components/figures/session-settings';
import { AnchorButton, Button, Callout, ProgressBar } from '@blueprintjs/core';
import { useState } from 'react';
import type { PackageResult } from '../../../shared/api/package-api';
import { formatBytes } from '../../../shared/format/bytes';
import { studioClient } from '../../services';
import { jobSelectors, packageSelectors, useStudio } from '../../store';

function parentOf(p: string): string {
  return p.replace(/[\\/][^\\/]*$/, '');
}

function Progress({ jobId }: { jobId: string }) {
  const job = useStudio(jobSelectors.job(jobId));
  const cancel = useStudio((s) => s.cancelJob);
  return (
    <div className="ds-package-progress" data-testid="package-progress">
      <ProgressBar value={job ? Math.max(0.02, job.progress) : undefined} intent="primary" stripes={!job} />
      <div className="ds-package-progress-row">
        <span className="ds-muted">{job?.stage ?? 'starting'}</span>
        <Button size="small" icon="stop" onClick={() => void cancel(jobId)} data-testid="package-cancel">
          Cancel
        </Button>
      </div>
    </div>
  );
}

function Written({ result }: { result: PackageResult }) {
  const host = studioClient().host;
  const dismiss = useStudio((s) => s.dismissPackageResult);
  const [openFailed, setOpenFailed] = useState(false);
  const next =
    result.format === 'app'
      ? result.artifacts
        ? `Installers: ${result.artifacts.map((a) => a.split(/[\\/]/).pop()).join(', ')}`
        : 'Next: npm install && npm run dist in that folder, on a machine with internet.'
      : result.format === 'bundle'
        ? 'Next: npm install && node run.js image.png in that folder.'
        : 'Next: point tritonserver --model-repository at that folder.';
  return (
    <Callout intent="success" icon="tick-circle" title="Packaged" data-testid="package-result">
      <p>
        Wrote {result.files.length} files{result.zipPath ? ' and their zip' : ''} ({formatBytes(result.totalBytes)} in all) to <code data-testid="package-result-path">{result.outDir}</code> in{' '}
        {(result.durationMs / 1000).toFixed(1)} s.
      </p>
      {result.zipPath && (
        <p>
          Zip: <code>{result.zipPath}</code>
        </p>
      )}
      {result.measurement && (
        <p>
          Measured here: p50 {result.measurement.p50Ms.toFixed(3)} ms over {result.measurement.runs} runs (in the README){' '}
          <SessionSettings options={result.measurement.sessionOptions} /> <NoiseMark cv={result.measurement.coefficientOfVariation} runs={result.measurement.runs} />
        </p>
      )}
      {result.warnings.map((w) => (
        <p key={w} className="ds-package-warning">
          {w}
        </p>
      ))}
      <p className="ds-muted">{next}</p>
      <div className="ds-package-row">
        {host.openFolder && (
          <Button icon="folder-shared-open" onClick={() => void host.openFolder?.(result.outDir).then((ok) => setOpenFailed(!ok))} data-testid="package-open-folder">
            Open output folder
          </Button>
        )}
        {host.openFolder && result.zipPath && (
          <Button icon="compressed" onClick={() => void host.openFolder?.(parentOf(result.zipPath as string))}>
            Show the zip
          </Button>
        )}
        {host.kind === 'browser' && result.downloadId && (
          <AnchorButton icon="download" href={`/api/download/${result.downloadId}`} download data-testid="package-download">
            Download the zip
          </AnchorButton>
        )}
        <Button variant="minimal" icon="duplicate" onClick={() => void navigator.clipboard?.writeText(result.outDir)}>
          Copy path
        </Button>
        <Button variant="minimal" onClick={dismiss}>
          Dismiss
        </Button>
      </div>
      {openFailed && <p className="ds-package-warning">The folder could not be opened: it may have been moved.</p>}
    </Callout>
  );
}

/** Renders the job state under the options. */
export function PackageOutcome() {
  const jobId = useStudio(packageSelectors.jobId);
  const result = useStudio(packageSelectors.result);
  const error = useStudio(packageSelectors.error);
  const dismiss = useStudio((s) => s.dismissPackageResult);
  if (jobId) return <Progress jobId={jobId} />;
  if (result) return <Written result={result} />;
  if (error) {
    return (
      <Callout intent={error.code === 'JOB_CANCELLED' ? 'warning' : 'danger'} icon="error" title={error.code === 'JOB_CANCELLED' ? 'Cancelled: nothing was written' : 'Packaging failed'} data-testid="package-error">
        <pre className="ds-package-message">{error.message}</pre>
        <Button variant="minimal" onClick={dismiss}>
          Dismiss
        </Button>
      </Callout>
    );
  }
  return null;
}
