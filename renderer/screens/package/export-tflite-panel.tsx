/** The Package place's Export panel: convert the model to TensorFlow Lite and show how the file agrees with onnxruntime. */
import { Button, Callout, Card, HTMLTable, Radio, RadioGroup, Spinner, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import type { TfliteExportDto } from '../../../shared/api/export-api';
import { formatBytes } from '../../../shared/format/bytes';
import { studioClient } from '../../services';
import { packageSelectors, useStudio } from '../../store';

type Layout = 'nchw' | 'nhwc';

function sci(x: number): string {
  return x === 0 ? '0' : x.toExponential(2);
}

/** Renders the panel. */
export function ExportTflitePanel() {
  const modelId = useStudio(packageSelectors.modelId);
  const [layout, setLayout] = useState<Layout>('nchw');
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<TfliteExportDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (): Promise<void> => {
    if (!modelId) return;
    const id = `export-${Math.random().toString(36).slice(2, 12)}`;
    setJobId(id);
    setError(null);
    setResult(null);
    try {
      setResult(await studioClient().api.exportTflite({ modelId, layout, samples: 8, jobId: id }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setJobId(null);
    }
  };

  return (
    <Card className="ds-export-tflite" data-testid="export-tflite">
      <h3>Export to TensorFlow Lite</h3>
      <p className="ds-muted">
        Writes a new .tflite file (float32) and runs it in Arm NN's reference backend, compared with onnxruntime on the same generated inputs.
      </p>
      <RadioGroup inline label="Input and output layout" selectedValue={layout} onChange={(e) => setLayout(e.currentTarget.value as Layout)}>
        <Radio value="nchw" label="NCHW (as in ONNX)" />
        <Radio value="nhwc" label="NHWC (TFLite's own)" />
      </RadioGroup>
      <div className="ds-export-actions">
        <Button intent="primary" icon="export" disabled={!modelId || jobId !== null} onClick={() => void run()} data-testid="export-tflite-run">
          Export .tflite
        </Button>
        {jobId && (
          <>
            <Spinner size={16} />
            <span className="ds-muted">Converting and checking…</span>
            <Button minimal icon="cross" onClick={() => void studioClient().api.cancelJob({ jobId })}>
              Cancel
            </Button>
          </>
        )}
      </div>
      {error && (
        <Callout intent="danger" title="Not exported" data-testid="export-tflite-error">
          {error}
        </Callout>
      )}
      {result && <ExportResult result={result} />}
    </Card>
  );
}

function ExportResult({ result }: { result: TfliteExportDto }) {
  const c = result.check;
  return (
    <div className="ds-export-result" data-testid="export-tflite-result">
      <p>
        Wrote <code>{result.outPath}</code> ({formatBytes(result.bytes)}):{' '}
        {Object.entries(result.operators)
          .map(([op, n]) => `${op} ×${n}`)
          .join(', ')}
      </p>
      {!c.ran ? (
        <Callout intent="warning" title="Not checked">
          {c.message}
        </Callout>
      ) : (
        <>
          <p className="ds-muted">
            {c.checker} vs onnxruntime on {c.inputs}.
          </p>
          {c.outputs.map((o) => (
            <HTMLTable compact striped key={o.name} className="ds-export-figures">
              <tbody>
                <tr>
                  <th>output</th>
                  <td>{o.name}</td>
                </tr>
                <tr>
                  <th>samples compared</th>
                  <td>{o.samples}</td>
                </tr>
                <tr>
                  <th>max abs error</th>
                  <td>
                    {sci(o.maxAbsError)} over an output range of {o.outputRange.toPrecision(4)}
                  </td>
                </tr>
                <tr>
                  <th>relative max error</th>
                  <td>
                    {sci(o.relativeMaxError)} <Tag minimal intent={o.relativeMaxError < 1e-4 ? 'success' : 'warning'}>{o.relativeMaxError < 1e-4 ? 'below 1e-4' : 'above 1e-4'}</Tag>
                  </td>
                </tr>
                <tr>
                  <th>SNR</th>
                  <td>{o.snrDb === null ? 'identical' : `${o.snrDb.toFixed(1)} dB`}</td>
                </tr>
                <tr>
                  <th>top-1 agreement</th>
                  <td>{o.top1Agreement === undefined ? '—' : `${(o.top1Agreement * 100).toFixed(1)} % of ${o.samples}`}</td>
                </tr>
              </tbody>
            </HTMLTable>
          ))}
        </>
      )}
    </div>
  );
}
