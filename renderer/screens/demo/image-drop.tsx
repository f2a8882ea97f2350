/** The demo's image well: drop an image on it, or click to choose one; shows the image being classified. */
import { Button, Icon } from '@blueprintjs/core';
import { useRef, useState, type DragEvent } from 'react';
import { demoSelectors, useStudio } from '../../store';

const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif,.png,.jpg,.jpeg,.webp,.gif,.tif,.tiff,.avif';

/** Renders the drop zone. */
export function ImageDrop() {
  const image = useStudio(demoSelectors.image);
  const classifyFile = useStudio((s) => s.classifyFile);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [broken, setBroken] = useState<string | null>(null);
  const stop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
  };
  const onDrop = (e: DragEvent) => {
    stop(e);
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void classifyFile(file);
  };
  return (
    <>
      <div
        className="ds-drop-zone"
        data-drop-zone
        data-dragging={dragging}
        data-testid="demo-drop"
        role="button"
        tabIndex={0}
        aria-label="Drop an image here, or press Enter to choose one"
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
        onDrop={onDrop}
      >
        {image?.preview && broken !== image.preview ? (
          <img src={image.preview} alt={image.name} onError={() => setBroken(image.preview)} />
        ) : (
          <Icon icon={image ? 'disable' : 'media'} size={48} className="ds-muted" />
        )}
        {image ? <span className="ds-drop-zone-name">{image.name}</span> : <strong>Drop an image here</strong>}
        <span className="ds-muted">PNG, JPEG, WebP, GIF, TIFF or AVIF</span>
      </div>
      <Button icon="folder-open" onClick={() => input.current?.click()} data-testid="demo-choose-image" fill>
        Choose image…
      </Button>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        hidden
        data-testid="demo-file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void classifyFile(file);
        }}
      />
    </>
  );
}
