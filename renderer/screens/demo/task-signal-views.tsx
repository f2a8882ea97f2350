/** Non-image task views: audio (waveform, per-frame timeline, segments), sequence text, and the generic tensor view. */
import { HTMLTable, Tag } from '@blueprintjs/core';
import { audioSvg, DARK_CHART, LIGHT_CHART, tensorViewSvg } from '../../../shared/tasks/task-svg';
import type { AudioResult, ClassifyResult, SequenceResult, TensorResult } from '../../../shared/tasks/task-types';
import { uiSelectors, useStudio } from '../../store';
import { TopClassBars } from './top-classes';

/** The waveform with the model's per-frame values and the active segments, in the theme's colours. */
export function AudioView({ result, src, slot }: { result: AudioResult; src: string | null; slot: string }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const [w, h] = [900, 300];
  return (
    <div className="ds-task-view">
      <svg className="ds-task-chart" viewBox={`0 0 ${w} ${h}`} data-testid={`demo-audio-chart-${slot}`} dangerouslySetInnerHTML={{ __html: audioSvg(result, w, h, dark ? DARK_CHART : LIGHT_CHART) }} />
      {src && <audio controls src={src} className="ds-task-audio" />}
      <HTMLTable compact className="ds-task-table">
        <thead>
          <tr>
            <th>segment</th>
            <th className="ds-num">start (s)</th>
            <th className="ds-num">end (s)</th>
            <th className="ds-num">mean value</th>
          </tr>
        </thead>
        <tbody>
          {result.segments.map((s, i) => (
            <tr key={i} data-testid="demo-audio-segment">
              <td>{i + 1}</td>
              <td className="ds-num">{s.startSeconds.toFixed(2)}</td>
              <td className="ds-num">{s.endSeconds.toFixed(2)}</td>
              <td className="ds-num">{s.meanScore.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      <p className="ds-muted ds-task-note">
        {result.durationSeconds.toFixed(2)} s at {result.sampleRate} Hz (file {result.sourceSampleRate} Hz); {result.mode === 'streaming' ? `streamed in chunks of ${result.chunkSamples} samples` : 'run whole'}; {result.frames.length} frames of{' '}
        {(result.frameSeconds * 1000).toFixed(1)} ms; active at ≥ {result.activeThreshold}
      </p>
    </div>
  );
}

/** The decoded text and each character's probability. */
export function SequenceView({ result }: { result: SequenceResult }) {
  return (
    <div className="ds-task-view">
      <div className="ds-task-text" data-testid="demo-sequence-text">
        {result.text || <span className="ds-muted">(nothing decoded)</span>}
      </div>
      <div className="ds-task-tokens">
        {result.tokens.slice(0, 200).map((t, i) => (
          <Tag key={i} minimal title={`class ${t.index}, ${(t.probability * 100).toFixed(1)} %`}>
            {t.char} {(t.probability * 100).toFixed(0)} %
          </Tag>
        ))}
      </div>
      <p className="ds-muted ds-task-note">
        CTC greedy decoding of "{result.outputName}" (blank = class {result.blankIndex}); {result.tokens.length} characters, mean probability {(result.meanProbability * 100).toFixed(1)} %
        {result.hasCharacters ? '' : '; no character list: class indices shown (give one in the task options)'}
      </p>
    </div>
  );
}

/** Each output as a heatmap, a line or a table, with its statistics. */
export function TensorView({ result }: { result: TensorResult }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  return (
    <div className="ds-task-view">
      {result.outputs.map((o) => (
        <svg key={o.name} className="ds-task-chart" viewBox="0 0 640 200" data-testid="demo-tensor" dangerouslySetInnerHTML={{ __html: tensorViewSvg(o, 4, 2, 632, 196, dark ? '#f6f7f9' : '#1c2127') }} />
      ))}
    </div>
  );
}

/** Top classes (the task form of classification, used for side by side of every task). */
export function ClassifyView({ result }: { result: ClassifyResult }) {
  return (
    <div className="ds-task-view">
      <TopClassBars top={result.top} />
      {result.softmaxApplied && <p className="ds-muted ds-task-note">softmax of "{result.outputName}" (it holds logits)</p>}
    </div>
  );
}
