/** An upload's progress: a bar, bytes sent of the total (binary units), files done, and a cancel button. */
import { Button, ProgressBar } from '@blueprintjs/core';
import { formatBytes } from '../../../shared/format/bytes';
import type { UploadProgress } from '../../services/upload-client';
import './files.css';

/** Renders one upload's bar. */
export function UploadBar({ progress, onCancel, testId }: { progress: UploadProgress; onCancel: () => void; testId?: string }) {
  const fraction = progress.totalBytes > 0 ? progress.loadedBytes / progress.totalBytes : 0;
  return (
    <div className="ds-upload-bar" data-testid={testId} data-fraction={fraction.toFixed(3)} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} aria-label={`Uploading ${progress.label}`}>
      <div className="ds-upload-bar-text">
        <span className="ds-upload-bar-label">Uploading {progress.label}</span>
        <span className="ds-muted">
          {formatBytes(progress.loadedBytes)} of {formatBytes(progress.totalBytes)} ({Math.floor(fraction * 100)} %)
          {progress.fileCount > 1 ? ` · ${progress.doneFiles} of ${progress.fileCount} files` : ''}
        </span>
        <Button size="small" variant="minimal" icon="cross" text="Cancel" onClick={onCancel} data-testid={testId ? `${testId}-cancel` : undefined} />
      </div>
      <ProgressBar value={fraction} intent="primary" stripes={false} animate={false} />
    </div>
  );
}
