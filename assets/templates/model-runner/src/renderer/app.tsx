/** The model runner window: model info, a drop zone and file picker, and one result card per file. */
import { useCallback, useEffect, useState } from 'react';
import type { ModelInfo } from '../shared/bridge';
import { DropZone } from './drop-zone';
import { ResultCard, type FileResult } from './result-card';

function shape(s: Array<number | string | null> | null): string {
  return s ? `[${s.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : '(unknown)';
}

let nextId = 1;

/** The whole window. */
export function App() {
  const [info, setInfo] = useState<ModelInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [results, setResults] = useState<FileResult[]>([]);

  useEffect(() => {
    if (!window.runner) {
      setLoadError('This page must run inside the app (the runner bridge is missing).');
      return;
    }
    void window.runner.info().then((a) => {
      if (a.ok) {
        setInfo(a.value);
        document.title = a.value.productName;
      } else setLoadError(a.message);
    });
  }, []);

  const runFiles = useCallback(async (files: File[]) => {
    const runner = window.runner;
    if (!runner) return;
    for (const file of files) {
      const id = nextId++;
      const kind = /\.npy$/i.test(file.name) ? 'npy' : 'image';
      const preview = kind === 'image' && file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
      setResults((r) => [{ id, fileName: file.name, preview, state: 'running' }, ...r]);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const answer = await runner.run({ fileName: file.name, kind, bytes });
      setResults((r) =>
        r.map((x) => (x.id !== id ? x : answer.ok ? { ...x, state: 'done', outcome: answer.value } : { ...x, state: 'failed', error: answer.message })),
      );
    }
  }, []);

  const clear = () => {
    for (const r of results) if (r.preview) URL.revokeObjectURL(r.preview);
    setResults([]);
  };

  return (
    <div className="app">
      <header className="header">
        <div>
          <h1>{info?.productName ?? 'Model runner'}</h1>
          {info && (
            <p className="muted" data-testid="model-info">
              {info.modelName} · {info.inputs.map((i) => `${i.name} ${i.dtype} ${shape(i.shape)}`).join(', ')} → {info.outputs.map((o) => `${o.name} ${shape(o.shape)}`).join(', ')}
            </p>
          )}
        </div>
        {results.length > 0 && (
          <button type="button" className="button" onClick={clear}>
            Clear results
          </button>
        )}
      </header>
      {loadError && (
        <div className="callout error" role="alert">
          {loadError}
        </div>
      )}
      <DropZone acceptsImages={Boolean(info?.imageInput)} disabled={!info} onFiles={(f) => void runFiles(f)} />
      <section className="results" aria-live="polite">
        {results.length === 0 && info && <p className="muted empty">Results appear here, newest first, with the latency of each run.</p>}
        {results.map((r) => (
          <ResultCard key={r.id} result={r} />
        ))}
      </section>
      {info && (
        <footer className="footer muted">
          {info.productName} {info.version} · onnxruntime {info.onnxruntimeVersion} · model loaded in {info.sessionMs.toFixed(0)} ms
        </footer>
      )}
    </div>
  );
}
