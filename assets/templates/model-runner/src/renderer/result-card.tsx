/** One file's result: its thumbnail, the top classes as bars, latency; or the error. */
import type { RunOutcome } from '../shared/bridge';

export interface FileResult {
  id: number;
  fileName: string;
  preview: string | null;
  state: 'running' | 'done' | 'failed';
  outcome?: RunOutcome;
  error?: string;
}

/** A result card. */
export function ResultCard({ result }: { result: FileResult }) {
  const o = result.outcome;
  return (
    <article className="card" data-testid="result">
      <div className="thumb">{result.preview ? <img src={result.preview} alt={result.fileName} /> : <span>{result.fileName.includes('.') ? result.fileName.slice(result.fileName.lastIndexOf('.')) : 'file'}</span>}</div>
      <div className="body">
        <h2 title={result.fileName}>{result.fileName}</h2>
        {result.state === 'running' && <p className="muted">Running…</p>}
        {result.state === 'failed' && <p className="error-text">{result.error}</p>}
        {o && (
          <>
            <p className="muted">
              {o.latencyMs.toFixed(2)} ms inference{o.preprocessMs ? ` · ${o.preprocessMs.toFixed(2)} ms preprocessing` : ''} · input [{o.input.dims.join(', ')}]
            </p>
            {o.top ? (
              <ol className="classes">
                {o.top.map((c, i) => (
                  <li key={c.index} className={i === 0 ? 'first' : undefined}>
                    <span className="label">{c.label}</span>
                    <span className="bar">
                      <span style={{ width: `${Math.max(0.5, c.probability * 100)}%` }} />
                    </span>
                    <span className="value">{(c.probability * 100).toFixed(1)} %</span>
                  </li>
                ))}
              </ol>
            ) : (
              <ul className="outputs">
                {o.outputs.map((t) => (
                  <li key={t.name}>
                    {t.name} {t.dtype} [{t.dims.join(', ')}]: {t.preview.slice(0, 8).map((v) => v.toFixed(4)).join(' ')} …
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </article>
  );
}
