/** Image task views: detection boxes with a score slider, a segmentation overlay with opacity, a before/after slider. */
import { HTMLTable, Slider, Tag } from '@blueprintjs/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { filterBoxes } from '../../../shared/tasks/boxes';
import { boxColor, classColor, maskRgba } from '../../../shared/tasks/palette';
import { boxesSvg } from '../../../shared/tasks/task-svg';
import type { DetectResult, ImageResult, SegmentResult } from '../../../shared/tasks/task-types';

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

/** The input image with an SVG layer in the image's own pixels on top. */
function Stage({ src, width, height, svg, children, testId }: { src: string | null; width: number; height: number; svg?: string; children?: React.ReactNode; testId: string }) {
  return (
    <div className="ds-task-stage" style={{ aspectRatio: `${width} / ${height}` }} data-testid={testId}>
      {src ? <img src={src} alt="input" /> : <div className="ds-task-stage-empty" />}
      {children}
      {svg !== undefined && <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" dangerouslySetInnerHTML={{ __html: svg }} />}
    </div>
  );
}

/** Boxes over the image; the slider refilters the candidates without running again. */
export function DetectView({ result, src, slot }: { result: DetectResult; src: string | null; slot: string }) {
  const [threshold, setThreshold] = useState(result.scoreThreshold);
  const boxes = useMemo(() => filterBoxes(result.candidates, threshold, result.iouThreshold), [result, threshold]);
  return (
    <div className="ds-task-view">
      <Stage src={src} width={result.sourceWidth} height={result.sourceHeight} svg={boxesSvg(boxes, 1, result.sourceWidth)} testId={`demo-task-stage-${slot}`} />
      <div className="ds-task-control">
        <span>Score ≥</span>
        <Slider min={0.05} max={1} stepSize={0.05} labelValues={[0.05, 0.5, 1]} value={threshold} onChange={setThreshold} labelRenderer={(v) => v.toFixed(2)} data-testid={`demo-threshold-${slot}`} />
        <Tag minimal data-testid={`demo-box-count-${slot}`}>
          {boxes.length} box{boxes.length === 1 ? '' : 'es'}
        </Tag>
      </div>
      <HTMLTable compact className="ds-task-table">
        <thead>
          <tr>
            <th>class</th>
            <th className="ds-num">score</th>
            <th className="ds-num">x (px)</th>
            <th className="ds-num">y (px)</th>
          </tr>
        </thead>
        <tbody>
          {boxes.slice(0, 50).map((b, i) => (
            <tr key={i} data-testid="demo-box">
              <td>
                <span className="ds-swatch" style={{ background: boxColor(b.classIndex) }} />
                {b.label ?? `class ${b.classIndex}`}
              </td>
              <td className="ds-num">{pct(b.score)}</td>
              <td className="ds-num">
                {b.x0.toFixed(0)}–{b.x1.toFixed(0)}
              </td>
              <td className="ds-num">
                {b.y0.toFixed(0)}–{b.y1.toFixed(0)}
              </td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      <p className="ds-muted ds-task-note">
        {result.format} from {result.outputNames.join(', ')}; NMS at IoU {result.iouThreshold}; {result.candidates.length} candidates ≥ 0.05; pixels of the {result.sourceWidth}×{result.sourceHeight} input
      </p>
    </div>
  );
}

/** The mask as a coloured layer with an opacity slider, and each class's share of the pixels. */
export function SegmentView({ result, src, slot }: { result: SegmentResult; src: string | null; slot: string }) {
  const [opacity, setOpacity] = useState(0.5);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(maskRgba(result, opacity) as Uint8ClampedArray<ArrayBuffer>, result.maskWidth, result.maskHeight), 0, 0);
  }, [result, opacity]);
  return (
    <div className="ds-task-view">
      <Stage src={src} width={result.sourceWidth} height={result.sourceHeight} testId={`demo-task-stage-${slot}`}>
        <canvas ref={canvas} width={result.maskWidth} height={result.maskHeight} data-testid={`demo-mask-${slot}`} />
      </Stage>
      <div className="ds-task-control">
        <span>Opacity</span>
        <Slider min={0} max={1} stepSize={0.05} labelValues={[0, 0.5, 1]} value={opacity} onChange={setOpacity} labelRenderer={(v) => `${Math.round(v * 100)} %`} data-testid={`demo-opacity-${slot}`} />
      </div>
      <HTMLTable compact className="ds-task-table">
        <thead>
          <tr>
            <th>class</th>
            <th className="ds-num">pixels</th>
            <th className="ds-num">share</th>
          </tr>
        </thead>
        <tbody>
          {result.classes.map((c) => (
            <tr key={c.classIndex} data-testid="demo-mask-class">
              <td>
                {c.classIndex > 0 && <span className="ds-swatch" style={{ background: classColor(c.classIndex) }} />}
                {c.label ?? `class ${c.classIndex}`}
              </td>
              <td className="ds-num">{c.pixels}</td>
              <td className="ds-num">{pct(c.fraction)}</td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      <p className="ds-muted ds-task-note">
        {result.mode === 'classes' ? 'class per pixel (argmax)' : 'probability map, ≥ 0.5 is foreground'} of "{result.outputName}", {result.maskWidth}×{result.maskHeight} px; {pct(result.coverage)} not background
      </p>
    </div>
  );
}

/** Before and after: the output over the input, revealed up to the slider. */
export function ImageCompareView({ result, src, slot }: { result: ImageResult; src: string | null; slot: string }) {
  const [split, setSplit] = useState(50);
  return (
    <div className="ds-task-view">
      <Stage src={src} width={result.sourceWidth} height={result.sourceHeight} testId={`demo-task-stage-${slot}`}>
        <img className="ds-task-after" src={result.outputDataUrl} alt="output" style={{ clipPath: `inset(0 0 0 ${split}%)` }} data-testid={`demo-after-${slot}`} />
        <div className="ds-task-split" style={{ left: `${split}%` }} />
      </Stage>
      <div className="ds-task-control">
        <span>Before | after</span>
        <Slider min={0} max={100} stepSize={1} labelValues={[0, 50, 100]} value={split} onChange={setSplit} labelRenderer={(v) => `${v} %`} data-testid={`demo-split-${slot}`} />
      </div>
      <p className="ds-muted ds-task-note">
        "{result.outputName}" as a {result.width}×{result.height} image; values {result.valueRange[0]}..{result.valueRange[1]} shown as 0..255
      </p>
    </div>
  );
}
