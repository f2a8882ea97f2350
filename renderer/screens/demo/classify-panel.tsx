/** The demo's classify tab: the image well, the sample strip, and one or two models' answers side by side. */
import { Callout, Card, H5 } from '@blueprintjs/core';
import { useShallow } from 'zustand/react/shallow';
import { demoSelectors, modelSelectors, useStudio, variantSelectors } from '../../store';
import { ComparePicker } from './compare-picker';
import { ImageDrop } from './image-drop';
import { ResultCard } from './top-classes';

function SampleStrip() {
  const images = useStudio(useShallow(demoSelectors.images));
  const current = useStudio(demoSelectors.image);
  const classify = useStudio((s) => s.classifyImage);
  if (images.length === 0) return null;
  return (
    <Card className="ds-samples" data-testid="demo-samples">
      <H5>Sample images</H5>
      <div className="ds-sample-strip">
        {images.map((img) => (
          <button
            type="button"
            key={img.path}
            className="ds-sample"
            data-testid="demo-sample"
            data-class={img.className ?? ''}
            aria-pressed={current?.path === img.path}
            title={img.className ? `${img.className} / ${img.fileName}` : img.fileName}
            onClick={() => void classify({ path: img.path, name: img.className ? `${img.className}/${img.fileName}` : img.fileName, preview: img.dataUrl || null })}
          >
            {img.dataUrl ? <img src={img.dataUrl} alt={img.className ?? img.fileName} /> : <span>{img.fileName}</span>}
          </button>
        ))}
      </div>
    </Card>
  );
}

/** Renders the tab. */
export function ClassifyPanel() {
  const fileName = useStudio(modelSelectors.fileName);
  const spec = useStudio(demoSelectors.spec);
  const loadError = useStudio((s) => s.demo.loadError);
  const running = useStudio(demoSelectors.running);
  const a = useStudio(demoSelectors.result('a'));
  const b = useStudio(demoSelectors.result('b'));
  const errA = useStudio(demoSelectors.error('a'));
  const errB = useStudio(demoSelectors.error('b'));
  const compareId = useStudio(demoSelectors.compareId);
  const variants = useStudio(useShallow(variantSelectors.variants));
  const compareName = variants.find((v) => v.modelId === compareId)?.name ?? 'Second model';
  return (
    <div className="ds-demo" data-testid="demo-classify">
      <div className="ds-demo-side">
        <ImageDrop />
        {spec && !spec.preprocess && (
          <Callout intent="primary" icon="info-sign">
            No preprocessing is set for {spec.fileName}: images are resized to the input size and scaled to [0, 1]. Set the values it was trained with in the Model place (Preprocessing).
          </Callout>
        )}
      </div>
      <div className="ds-demo-main">
        {loadError && (
          <Callout intent="danger" title="The demo could not read this model">
            {loadError.message}
          </Callout>
        )}
        <SampleStrip />
        <div className="ds-demo-results">
          <ResultCard slot="a" title={fileName ?? 'Model'} result={a} error={errA} running={running && !a && !errA} />
          <ResultCard slot="b" title={compareId ? compareName : 'Side by side'} result={compareId ? b : null} error={compareId ? errB : null} running={running && Boolean(compareId) && !b && !errB} extra={<ComparePicker testId="demo-compare-select" />} />
        </div>
      </div>
    </div>
  );
}
