/** The Model place's Preprocessing card: how images become this model's input, saved with its family for every consumer. */
import { Button, Callout, Card, H5, Tag } from '@blueprintjs/core';
import { useEffect, useMemo, useState } from 'react';
import type { PreprocessConfig } from '../../../shared/api/preprocess';
import type { PreprocessStateDto, SettingOrigin } from '../../../shared/api/preprocess-api';
import { preprocessSelectors, useStudio } from '../../store';
import { PreprocessFields } from './preprocess-fields';
import { PreprocessPreview } from './preprocess-preview';
import './preprocess.css';

const ORIGIN: Record<SettingOrigin, { text: string; intent: 'success' | 'primary' | 'warning' | 'none' }> = {
  family: { text: 'set in the studio', intent: 'success' },
  file: { text: 'from preprocess.json', intent: 'primary' },
  guess: { text: 'a guess', intent: 'warning' },
  none: { text: 'none', intent: 'none' },
};

/** @returns the model input's fixed height and width, when both are fixed. */
function inputSize(state: PreprocessStateDto, config: PreprocessConfig | null): { width: number; height: number } | null {
  const s = state.imageInput?.shape;
  if (!s || s.length !== 4) return null;
  const nhwc = (config ?? state.guess)?.layout === 'NHWC';
  const [h, w] = nhwc ? [s[1], s[2]] : [s[2], s[3]];
  return typeof h === 'number' && typeof w === 'number' ? { width: w, height: h } : null;
}

/** Renders the card (nothing until the state of the open model is loaded, or when images cannot feed it). */
export function PreprocessCard({ modelId }: { modelId: string }) {
  const state = useStudio(preprocessSelectors.state);
  const loadedFor = useStudio(preprocessSelectors.modelId);
  const saving = useStudio(preprocessSelectors.saving);
  const error = useStudio(preprocessSelectors.error);
  const load = useStudio((s) => s.loadPreprocess);
  const save = useStudio((s) => s.savePreprocess);
  useEffect(() => {
    if (loadedFor !== modelId) void load(modelId);
  }, [modelId, loadedFor, load]);
  const initial = useMemo(() => state?.preprocess ?? state?.guess ?? null, [state]);
  const [draft, setDraft] = useState<PreprocessConfig | null>(initial);
  useEffect(() => setDraft(initial), [initial]);
  if (!state || state.modelId !== modelId) return null;
  if (!state.imageInput || !draft) {
    return (
      <Card className="ds-card ds-card-wide" data-testid="preprocess-card">
        <H5>Preprocessing</H5>
        <p className="ds-muted">{state.guessWhy}</p>
      </Card>
    );
  }
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial) || state.preprocessOrigin === 'guess';
  const origin = ORIGIN[state.preprocessOrigin];
  return (
    <Card className="ds-card ds-card-wide" data-testid="preprocess-card">
      <H5>
        Preprocessing <span className="ds-muted">— how an image becomes input "{state.imageInput.name}"; used by Demo, Compare, calibration and Package, for every variant</span>{' '}
        <Tag minimal intent={origin.intent} data-testid="prep-origin" title={state.preprocessSource ?? ''}>
          {origin.text}
        </Tag>
      </H5>
      {state.preprocessOrigin === 'guess' && (
        <Callout intent="warning" compact icon="help" data-testid="prep-guess">
          {state.guessWhy} Pick the values the model was trained with, then save.
        </Callout>
      )}
      {state.preprocessFileError && (
        <Callout intent="danger" compact icon="error">
          {state.preprocessFileError}
        </Callout>
      )}
      <div className="ds-prep-body">
        <div>
          <PreprocessFields config={draft} onChange={setDraft} inputSize={inputSize(state, draft)} />
          <div className="ds-spec-actions">
            <Button intent="primary" size="small" icon="floppy-disk" loading={saving} disabled={!dirty} onClick={() => void save({ preprocess: draft })} data-testid="prep-save">
              {state.preprocessOrigin === 'guess' ? 'Use these settings' : 'Save'}
            </Button>
            <Button size="small" disabled={JSON.stringify(draft) === JSON.stringify(initial)} onClick={() => setDraft(initial)}>
              Revert
            </Button>
            {state.preprocessOrigin === 'family' && (
              <Button size="small" variant="minimal" icon="reset" onClick={() => void save({ preprocess: null })} data-testid="prep-clear" title="Forget the settings saved in the studio: a preprocess.json beside the model, else the guess, applies again">
                Forget saved settings
              </Button>
            )}
            {state.preprocessOrigin !== 'guess' && state.preprocessSource && (
              <span className="ds-muted ds-prep-source" title={state.preprocessSource}>
                {state.preprocessOrigin === 'family' ? 'Saved with this model\u2019s family.' : `Read from ${state.preprocessSource}.`}
              </span>
            )}
          </div>
          {error && (
            <Callout intent="danger" compact icon="error" data-testid="prep-error">
              {error.message}
            </Callout>
          )}
        </div>
        <PreprocessPreview config={draft} />
      </div>
    </Card>
  );
}
