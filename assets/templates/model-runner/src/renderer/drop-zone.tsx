/** Where files go in: drag and drop anywhere on the zone, or the file picker. */
import { useRef, useState, type DragEvent } from 'react';

interface Props {
  acceptsImages: boolean;
  disabled: boolean;
  onFiles(files: File[]): void;
}

/** The drop zone with its "Choose files" button. */
export function DropZone({ acceptsImages, disabled, onFiles }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const accept = acceptsImages ? 'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif,.npy' : '.npy';
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!disabled && e.dataTransfer.files.length) onFiles([...e.dataTransfer.files]);
  };
  return (
    <div
      className={`drop-zone${over ? ' over' : ''}${disabled ? ' disabled' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <p>{acceptsImages ? 'Drop images (or .npy arrays) here' : 'Drop .npy input arrays here'}</p>
      <button type="button" className="button primary" disabled={disabled} onClick={() => input.current?.click()}>
        Choose files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={accept}
        hidden
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}
