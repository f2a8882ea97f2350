/**
 * Drag and drop of models: a model dropped anywhere on the window opens. A drop on a field's own target (data, labels,
 * images) goes to that field; other files dropped outside one are refused with a note saying where they go.
 */
import { Icon } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { useStudio } from '../store';
import '../components/files/files.css';

const MODEL = /\.(onnx|ort)$/i;

/** @returns whether a drag is over a field with its own drop target. */
function overFieldTarget(e: DragEvent): boolean {
  const t = e.target;
  return t instanceof Element && t.closest('[data-file-drop], [data-drop-zone]') !== null;
}

/** Shows a drop target while files are dragged over the window (not over a field that takes them itself). */
export function DropOverlay() {
  const [dragging, setDragging] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let depth = 0;
    let noteTimer: ReturnType<typeof setTimeout> | undefined;
    const hasFiles = (e: DragEvent) => Boolean(e.dataTransfer && [...e.dataTransfer.types].includes('Files'));
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(!overFieldTarget(e));
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(!overFieldTarget(e));
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      if (files.some((f) => MODEL.test(f.name))) {
        void useStudio.getState().openDropped(files);
        return;
      }
      clearTimeout(noteTimer);
      setNote(`${files[0].name} is not a model. Drop data, labels or images on the field that takes them (it highlights when you drag over it).`);
      noteTimer = setTimeout(() => setNote(null), 6000);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      clearTimeout(noteTimer);
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (note) {
    return (
      <div className="ds-drop-note" role="alert" data-testid="drop-note">
        <Icon icon="info-sign" /> {note}
      </div>
    );
  }
  if (!dragging) return null;
  return (
    <div className="ds-drop" aria-hidden data-testid="drop-overlay">
      <div className="ds-drop-box">
        <Icon icon="import" size={40} />
        <div>Drop an .onnx model to open it</div>
        <div className="ds-muted">Drop its external data files with it; drop data on the field that takes it</div>
      </div>
    </div>
  );
}
