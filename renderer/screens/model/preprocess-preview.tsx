/** The preview of one preprocessed image: drop or choose an image, see what the model sees and the tensor's statistics. */
import { Button, Callout, HTMLTable, Icon, Spinner } from '@blueprintjs/core';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { PreprocessConfig } from '../../../shared/api/preprocess';
import { preprocessSelectors, useStudio } from '../../store';

const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif,.png,.jpg,.jpeg,.webp,.gif,.tif,.tiff,.avif';
const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toExponential(2) : v.toFixed(3));

/** Renders the preview for a draft config (re-run, debounced, when the config changes). */
export function PreprocessPreview({ config }: { config: PreprocessConfig }) {
  const preview = useStudio(preprocessSelectors.preview);
  const previewFile = useStudio((s) => s.previewPreprocessFile);
  const previewImage = useStudio((s) => s.previewPreprocess);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const key = JSON.stringify(config);
  const path = preview?.path;
  useEffect(() => {
    if (!path) return;
    const t = setTimeout(() => void previewImage({ path, name: preview?.name ?? '' }, JSON.parse(key) as PreprocessConfig), 250);
    return () => clearTimeout(t);
    // re-run only when the config or the image changes
  }, [key, path]);
  const stop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
  };
  const r = preview?.result;
  return (
    <div className="ds-prep-preview" data-testid="prep-preview">
      <div
        className="ds-drop-zone ds-prep-drop"
        data-drop-zone
        data-dragging={dragging}
        role="button"
        tabIndex={0}
        aria-label="Drop an image to preview its preprocessing, or press Enter to choose one"
        data-testid="prep-drop"
        onClick={() => input.current?.click()}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') input.current?.click();
        }}
        onDragEnter={(e) => {
          stop(e);
          setDragging(true);
        }}
        onDragOver={stop}
        onDragLeave={(e) => {
          stop(e);
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(e) => {
          stop(e);
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file) void previewFile(file, config);
        }}
      >
        {r ? <img src={r.dataUrl} alt={`${r.imageName} as the model sees it`} data-testid="prep-preview-image" /> : <Icon icon="media" size={40} className="ds-muted" />}
        {preview ? <span className="ds-drop-zone-name">{preview.name}</span> : <strong>Drop an image to preview</strong>}
        {preview?.busy && <Spinner size={16} />}
      </div>
      <Button size="small" icon="folder-open" onClick={() => input.current?.click()} data-testid="prep-choose-image" fill>
        Choose image…
      </Button>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        hidden
        data-testid="prep-file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void previewFile(file, config);
        }}
      />
      {preview?.error && (
        <Callout intent="danger" compact icon="error" data-testid="prep-preview-error">
          {preview.error.message}
        </Callout>
      )}
      {r && (
        <>
          <p className="ds-muted ds-prep-shape" data-testid="prep-preview-shape">
            {r.width}×{r.height} px → tensor <span className="ds-mono">[{r.tensorShape.join(', ')}]</span> {r.dtype}
          </p>
          {!r.fits && r.misfit && (
            <Callout intent="warning" compact icon="warning-sign">
              {r.misfit}
            </Callout>
          )}
          <HTMLTable compact className="ds-table ds-prep-stats" data-testid="prep-preview-stats">
            <thead>
              <tr>
                <th>channel</th>
                <th className="ds-num">min</th>
                <th className="ds-num">mean</th>
                <th className="ds-num">max</th>
              </tr>
            </thead>
            <tbody>
              {r.channels.map((c) => (
                <tr key={c.name} data-channel={c.name}>
                  <td className="ds-mono">{c.name}</td>
                  <td className="ds-num ds-mono">{fmt(c.min)}</td>
                  <td className="ds-num ds-mono">{fmt(c.mean)}</td>
                  <td className="ds-num ds-mono">{fmt(c.max)}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
          <p className="ds-muted ds-prep-note">Values of the tensor the model receives (after scale and mean/std), over all {r.width * r.height} pixels.</p>
        </>
      )}
    </div>
  );
}
