/** The demo for every task but classification's own panel: an input (image, WAV, microphone, camera), and one or two
 * models' results side by side, each drawn for its task. */
import { Button, Callout, Card, H5, Icon, Spinner, Tag } from '@blueprintjs/core';
import { useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { StudioErrorDto } from '../../../shared/api/errors';
import type { TaskRunDto } from '../../../shared/api/tasks-api';
import { TASK_TITLES } from '../../../shared/tasks/task-types';
import { demoSelectors, modelSelectors, useStudio, variantSelectors } from '../../store';
import { ComparePicker } from './compare-picker';
import { LiveCamera } from './live-camera';
import { MicRecorder } from './mic-recorder';
import { DetectView, ImageCompareView, SegmentView } from './task-image-views';
import { AudioView, ClassifyView, SequenceView, TensorView } from './task-signal-views';

const IMAGE_ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif,.png,.jpg,.jpeg,.webp,.gif,.tif,.tiff,.avif';
const AUDIO_ACCEPT = 'audio/wav,audio/x-wav,.wav';
const TENSOR_ACCEPT = `${IMAGE_ACCEPT},.npy,.npz,.pb,.json`;

function TaskDrop() {
  const kind = useStudio(demoSelectors.taskKind);
  const input = useStudio(demoSelectors.taskInput);
  const runFile = useStudio((s) => s.runDemoTaskFile);
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const audio = kind === 'audio';
  const stop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <>
      <div
        className="ds-drop-zone"
        data-drop-zone
        data-dragging={dragging}
        data-testid="demo-task-drop"
        role="button"
        tabIndex={0}
        aria-label={`Drop ${audio ? 'a WAV file' : 'an image'} here, or press Enter to choose one`}
        onClick={() => picker.current?.click()}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && picker.current?.click()}
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
          if (file) void runFile(file);
        }}
      >
        {input?.preview && !audio ? <img src={input.preview} alt={input.name} /> : <Icon icon={audio ? 'music' : 'media'} size={48} className="ds-muted" />}
        {input ? <span className="ds-drop-zone-name">{input.name}</span> : <strong>Drop {audio ? 'a WAV file' : kind === 'tensor' ? 'an input file' : 'an image'} here</strong>}
        <span className="ds-muted">{audio ? 'WAV (PCM or float), any rate: resampled to the model’s' : kind === 'tensor' ? 'an image, .npy, .npz, .pb or .json' : 'PNG, JPEG, WebP, GIF, TIFF or AVIF'}</span>
      </div>
      <Button icon="folder-open" onClick={() => picker.current?.click()} data-testid="demo-task-choose" fill>
        Choose {audio ? 'a WAV file' : 'a file'}…
      </Button>
      <input
        ref={picker}
        type="file"
        accept={audio ? AUDIO_ACCEPT : kind === 'tensor' ? TENSOR_ACCEPT : IMAGE_ACCEPT}
        hidden
        data-testid="demo-task-file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void runFile(file);
        }}
      />
    </>
  );
}

function Samples() {
  const images = useStudio(useShallow(demoSelectors.images));
  const current = useStudio(demoSelectors.taskInput);
  const run = useStudio((s) => s.runDemoTask);
  if (!images.length) return null;
  return (
    <Card className="ds-samples" data-testid="demo-task-samples">
      <H5>Sample images</H5>
      <div className="ds-sample-strip">
        {images.map((img) => (
          <button type="button" key={img.path} className="ds-sample" aria-pressed={current?.path === img.path} title={img.fileName} onClick={() => void run({ path: img.path, name: img.fileName, preview: img.dataUrl || null })}>
            {img.dataUrl ? <img src={img.dataUrl} alt={img.fileName} /> : <span>{img.fileName}</span>}
          </button>
        ))}
      </div>
    </Card>
  );
}

function ResultBody({ run, src, slot }: { run: TaskRunDto; src: string | null; slot: string }) {
  const r = run.result;
  switch (r.kind) {
    case 'detect':
      return <DetectView result={r} src={src} slot={slot} />;
    case 'segment':
      return <SegmentView result={r} src={src} slot={slot} />;
    case 'image':
      return <ImageCompareView result={r} src={src} slot={slot} />;
    case 'audio':
      return <AudioView result={r} src={src} slot={slot} />;
    case 'sequence':
      return <SequenceView result={r} />;
    case 'classify':
      return <ClassifyView result={r} />;
    default:
      return <TensorView result={r} />;
  }
}

function TaskCard({ slot, title, run, error, running, extra }: { slot: 'a' | 'b'; title: string; run: TaskRunDto | null; error: StudioErrorDto | null; running: boolean; extra?: React.ReactNode }) {
  const input = useStudio(demoSelectors.taskInput);
  return (
    <Card className="ds-demo-card" data-testid={`demo-task-result-${slot}`} data-state={error ? 'error' : run ? 'ready' : running ? 'running' : 'empty'} data-kind={run?.kind ?? ''}>
      <div className="ds-demo-card-head">
        <H5 title={title}>{title}</H5>
        {extra}
        {running && <Spinner size={16} />}
      </div>
      {error && (
        <Callout intent="danger" icon="error" title="Could not run the task" data-testid={`demo-task-error-${slot}`}>
          <p>{error.message}</p>
          <p className="ds-muted">Error code: {error.code}</p>
        </Callout>
      )}
      {!error && run && (
        <>
          <ResultBody run={run} src={input?.preview ?? null} slot={slot} />
          <div className="ds-demo-meta">
            <Tag minimal icon="time" data-testid={`demo-task-latency-${slot}`} title="one measurement: timings vary from run to run">
              {run.result.latencyMs.toFixed(run.result.latencyMs < 10 ? 2 : 1)} ms in {run.result.runs} run{run.result.runs === 1 ? '' : 's'} (single measurement, noisy)
            </Tag>
            <Tag minimal>{TASK_TITLES[run.kind]}</Tag>
            {run.result.notes.map((n) => (
              <Tag minimal key={n} className="ds-task-note-tag">
                {n}
              </Tag>
            ))}
          </div>
        </>
      )}
      {!error && !run && !running && <p className="ds-muted">Give an input to see what this model answers.</p>}
    </Card>
  );
}

/** Renders the panel. */
export function TaskPanel() {
  const fileName = useStudio(modelSelectors.fileName);
  const kind = useStudio(demoSelectors.taskKind);
  const running = useStudio(demoSelectors.taskRunning);
  const a = useStudio(demoSelectors.taskResult('a'));
  const b = useStudio(demoSelectors.taskResult('b'));
  const errA = useStudio(demoSelectors.taskError('a'));
  const errB = useStudio(demoSelectors.taskError('b'));
  const compareId = useStudio(demoSelectors.compareId);
  const variants = useStudio(useShallow(variantSelectors.variants));
  const runFile = useStudio((s) => s.runDemoTaskFile);
  const loadError = useStudio((s) => s.demo.loadError);
  const compareName = variants.find((v) => v.modelId === compareId)?.name ?? 'Side by side';
  const imageTask = kind === 'detect' || kind === 'segment' || kind === 'image' || kind === 'classify' || kind === 'sequence';
  return (
    <div className="ds-demo" data-testid="demo-task" data-kind={kind ?? ''}>
      <div className="ds-demo-side">
        <TaskDrop />
        {kind === 'audio' && <MicRecorder onRecorded={(f) => void runFile(f)} disabled={running} />}
        {imageTask && <LiveCamera />}
      </div>
      <div className="ds-demo-main">
        {loadError && (
          <Callout intent="danger" title="The demo could not read this model">
            {loadError.message}
          </Callout>
        )}
        {kind !== 'audio' && <Samples />}
        <div className="ds-demo-results">
          <TaskCard slot="a" title={fileName ?? 'Model'} run={a} error={errA} running={running} />
          <TaskCard slot="b" title={compareId ? compareName : 'Side by side'} run={compareId ? b : null} error={compareId ? errB : null} running={running && Boolean(compareId) && !b && !errB} extra={<ComparePicker testId="demo-task-compare-select" />} />
        </div>
      </div>
    </div>
  );
}
