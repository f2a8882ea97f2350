/** The preprocessing form: value presets, channels, layout, resize and centre crop, custom scale and mean/std. */
import { Button, ControlGroup, FormGroup, HTMLSelect, InputGroup, NumericInput, SegmentedControl, Switch, Tag } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import type { PreprocessConfig } from '../../../shared/api/preprocess';
import { channelRange, NORMALIZATION_PRESETS, normalizationOf, withImagenetGeometry, withNormalization } from '../../../shared/api/preprocess-presets';

type ResizeMode = NonNullable<PreprocessConfig['resize']>['mode'] | 'none';

const RESIZE_LABELS: Record<ResizeMode, string> = {
  none: 'no resize (images must have the input size)',
  stretch: 'stretch to width × height',
  shorter: 'shorter side to width (keep aspect)',
  cover: 'cover, then centre-crop',
  contain: 'fit inside, pad with black',
};

/** A comma-separated list of numbers, edited as text and committed when it parses. */
function NumberList({ id, value, onChange, placeholder }: { id: string; value: number[] | undefined; onChange(v: number[] | undefined): void; placeholder: string }) {
  const shown = value?.join(', ') ?? '';
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const parsed = text.trim() === '' ? [] : text.split(/[,\s]+/).filter(Boolean).map(Number);
  const bad = parsed.some((n) => !Number.isFinite(n)) || parsed.length > 4;
  return (
    <InputGroup
      id={id}
      size="small"
      className="ds-mono ds-prep-list"
      value={text}
      intent={bad ? 'danger' : 'none'}
      placeholder={placeholder}
      data-testid={id}
      onValueChange={(t) => {
        setText(t);
        const nums = t.trim() === '' ? [] : t.split(/[,\s]+/).filter(Boolean).map(Number);
        if (nums.every((n) => Number.isFinite(n)) && nums.length <= 4) onChange(nums.length ? nums : undefined);
      }}
    />
  );
}

function Size({ id, w, h, onChange }: { id: string; w: number; h: number; onChange(w: number, h: number): void }) {
  const num = (v: number, fallback: number) => (Number.isFinite(v) && v >= 1 ? Math.min(16384, Math.floor(v)) : fallback);
  return (
    <ControlGroup className="ds-prep-size">
      <NumericInput size="small" buttonPosition="none" min={1} value={w} onValueChange={(v) => onChange(num(v, w), h)} aria-label="width" data-testid={`${id}-w`} />
      <span className="ds-muted">×</span>
      <NumericInput size="small" buttonPosition="none" min={1} value={h} onValueChange={(v) => onChange(w, num(v, h))} aria-label="height" data-testid={`${id}-h`} />
      <span className="ds-muted">px</span>
    </ControlGroup>
  );
}

/**
 * Renders the fields of a config.
 * @param inputSize - the model's input height and width, when fixed (for the ImageNet geometry button and defaults)
 */
export function PreprocessFields({ config, onChange, inputSize }: { config: PreprocessConfig; onChange(c: PreprocessConfig): void; inputSize: { width: number; height: number } | null }) {
  const norm = normalizationOf(config);
  const mode: ResizeMode = config.resize?.mode ?? 'none';
  const size = inputSize ?? { width: 224, height: 224 };
  const channels = config.channels === 'grayscale' ? 1 : 3;
  const names = channels === 1 ? ['Y'] : config.channels === 'bgr' ? ['B', 'G', 'R'] : ['R', 'G', 'B'];
  return (
    <div className="ds-prep-fields">
      <FormGroup label="Values" helperText="How pixels 0…255 become the model's numbers: (pixel / scale − mean) / std, per channel." inline>
        <SegmentedControl
          size="small"
          value={norm}
          options={[...NORMALIZATION_PRESETS.map((p) => ({ value: p.id, label: p.label })), { value: 'custom', label: 'custom', disabled: norm !== 'custom' }]}
          onValueChange={(v) => v !== 'custom' && onChange(withNormalization(config, v as (typeof NORMALIZATION_PRESETS)[number]['id']))}
          data-testid="prep-norm"
        />
      </FormGroup>
      <div className="ds-prep-row">
        <FormGroup label="Scale" labelFor="prep-scale" inline>
          <NumericInput id="prep-scale" size="small" buttonPosition="none" min={0.000001} value={config.scale} onValueChange={(v) => Number.isFinite(v) && v > 0 && onChange({ ...config, scale: v })} data-testid="prep-scale" />
        </FormGroup>
        <FormGroup label="Mean" labelFor="prep-mean" inline>
          <NumberList id="prep-mean" value={config.mean} placeholder="0" onChange={(mean) => onChange({ ...config, mean })} />
        </FormGroup>
        <FormGroup label="Std" labelFor="prep-std" inline>
          <NumberList id="prep-std" value={config.std} placeholder="1" onChange={(std) => onChange({ ...config, std: std?.every((n) => n > 0) ? std : undefined })} />
        </FormGroup>
      </div>
      <div className="ds-prep-ranges" data-testid="prep-ranges">
        {names.map((n, i) => {
          const [lo, hi] = channelRange(config, i);
          return (
            <Tag key={n} minimal className="ds-mono" title={`channel ${n}: pixel 0 → ${lo.toFixed(3)}, pixel 255 → ${hi.toFixed(3)}`}>
              {n} ∈ [{lo.toFixed(2)}, {hi.toFixed(2)}]
            </Tag>
          );
        })}
      </div>
      <div className="ds-prep-row">
        <FormGroup label="Channels" inline>
          <SegmentedControl
            size="small"
            value={config.channels}
            options={[
              { value: 'rgb', label: 'RGB' },
              { value: 'bgr', label: 'BGR' },
              { value: 'grayscale', label: 'Gray' },
            ]}
            onValueChange={(v) => onChange({ ...config, channels: v as PreprocessConfig['channels'] })}
            data-testid="prep-channels"
          />
        </FormGroup>
        <FormGroup label="Layout" inline>
          <SegmentedControl
            size="small"
            value={config.layout}
            options={[
              { value: 'NCHW', label: 'NCHW' },
              { value: 'NHWC', label: 'NHWC' },
            ]}
            onValueChange={(v) => onChange({ ...config, layout: v as PreprocessConfig['layout'] })}
            data-testid="prep-layout"
          />
        </FormGroup>
      </div>
      <div className="ds-prep-row">
        <FormGroup label="Resize" labelFor="prep-resize" inline>
          <HTMLSelect
            id="prep-resize"
            value={mode}
            data-testid="prep-resize"
            options={(Object.keys(RESIZE_LABELS) as ResizeMode[]).map((m) => ({ value: m, label: RESIZE_LABELS[m] }))}
            onChange={(e) => {
              const m = e.currentTarget.value as ResizeMode;
              const { resize: _r, ...rest } = config;
              if (m === 'none') onChange(rest);
              else onChange({ ...rest, resize: { width: config.resize?.width ?? size.width, height: config.resize?.height ?? size.height, mode: m } });
            }}
          />
        </FormGroup>
        {config.resize && <Size id="prep-resize-size" w={config.resize.width} h={config.resize.height} onChange={(width, height) => onChange({ ...config, resize: { ...config.resize!, width, height: config.resize!.mode === 'shorter' ? width : height } })} />}
      </div>
      <div className="ds-prep-row">
        <Switch
          label="Centre crop"
          checked={Boolean(config.crop)}
          data-testid="prep-crop"
          onChange={(e) => {
            const { crop: _c, ...rest } = config;
            onChange(e.currentTarget.checked ? { ...rest, crop: { ...size } } : rest);
          }}
        />
        {config.crop && <Size id="prep-crop-size" w={config.crop.width} h={config.crop.height} onChange={(width, height) => onChange({ ...config, crop: { width, height } })} />}
        <Button size="small" variant="outlined" icon="crop" onClick={() => onChange(withImagenetGeometry(config, size))} data-testid="prep-imagenet-geometry" title={`Resize the shorter side to ${Math.round((Math.min(size.width, size.height) * 256) / 224)}, then centre-crop ${size.width}×${size.height} (torchvision's ImageNet evaluation)`}>
          ImageNet resize + crop
        </Button>
      </div>
    </div>
  );
}
