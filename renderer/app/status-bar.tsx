/** The status bar: open model, host and running jobs. */
import { Icon, Spinner } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/api/methods';
import { studioClient } from '../services';
import { uploadedName } from '../services/upload-client';
import { jobSelectors, modelSelectors, targetSelectors, uiSelectors, useStudio } from '../store';

/** Renders the bar. */
export function StatusBar() {
  const storedName = useStudio(modelSelectors.fileName);
  const modelPath = useStudio((s) => s.summary?.path ?? null);
  // an uploaded model keeps the name it had on the user's computer (the stored copy's is made file-system safe)
  const fileName = (modelPath && uploadedName(modelPath)) ?? storedName;
  const targetName = useStudio(targetSelectors.selectedTargetName);
  const opening = useStudio(modelSelectors.opening);
  const running = useStudio(jobSelectors.runningCount);
  const theme = useStudio(uiSelectors.theme);
  const toggleTheme = useStudio((s) => s.toggleTheme);
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    studioClient()
      .api.getAppInfo({})
      .then(setInfo)
      .catch(() => setInfo(null));
    // the target list (it detects the host, seconds of CPU) is loaded by startStudio once the first view is drawn
  }, []);
  return (
    <footer className="ds-status" role="status">
      <span className="ds-status-item" data-testid="status-model">
        <Icon icon="cube" size={12} /> {opening ? `Opening ${opening}…` : (fileName ?? 'No model open')}
      </span>
      <span className="ds-status-item">
        <Icon icon="desktop" size={12} /> Target: <span data-testid="status-target">{targetName}</span>
      </span>
      <span className="ds-status-spacer" />
      <span className="ds-status-item">
        {running > 0 ? <Spinner size={12} /> : <Icon icon="tick-circle" size={12} />} {running} job{running === 1 ? '' : 's'} running
      </span>
      {info && (
        <span className="ds-status-item" title={`onnxruntime ${info.onnxruntimeVersion}`}>
          {info.host === 'electron' ? 'Desktop' : 'Browser'} · {info.platform}/{info.arch} · ORT {info.onnxruntimeVersion} · v{info.version}
        </span>
      )}
      <button className="ds-status-button" onClick={toggleTheme} title="Toggle theme (Ctrl+Shift+L)" aria-label="Toggle theme">
        <Icon icon={theme === 'dark' ? 'flash' : 'moon'} size={12} />
      </button>
    </footer>
  );
}
