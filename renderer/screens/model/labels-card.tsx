/** The Model place's Labels card: class names from a .txt/.json file or a pasted list, checked against the class output. */
import { Button, Callout, Card, H5, Tag, TextArea } from '@blueprintjs/core';
import { useRef, useState } from 'react';
import { parseLabelsText } from '../../../shared/api/labels';
import { preprocessSelectors, useStudio } from '../../store';

const SHOWN = 6;

/** Renders the card (once the preprocessing state of the open model is loaded). */
export function LabelsCard({ modelId }: { modelId: string }) {
  const state = useStudio(preprocessSelectors.state);
  const saving = useStudio(preprocessSelectors.saving);
  const save = useStudio((s) => s.savePreprocess);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (!state || state.modelId !== modelId) return null;
  const labels = state.labels;
  const classes = state.classOutput?.classes ?? null;
  const use = async (raw: string, from: string) => {
    try {
      const parsed = parseLabelsText(raw);
      setProblem(null);
      if (await save({ labels: parsed })) setText('');
    } catch (err) {
      setProblem(`${from}: ${(err as Error).message}`);
    }
  };
  return (
    <Card className="ds-card ds-card-wide" data-testid="labels-card">
      <H5>
        Labels <span className="ds-muted">— class names for Demo, Compare and Package, for every variant</span>{' '}
        {labels && (
          <Tag minimal intent={state.labelsOrigin === 'family' ? 'success' : 'primary'} title={state.labelsSource ?? ''}>
            {state.labelsOrigin === 'family' ? 'set in the studio' : 'from labels.txt'}
          </Tag>
        )}
      </H5>
      <div className="ds-labels-body">
        <div>
          {labels ? (
            <>
              <p data-testid="labels-count">
                <strong>{labels.length.toLocaleString('en-US')}</strong> label{labels.length === 1 ? '' : 's'}
                {state.classOutput && (
                  <>
                    {' '}
                    {state.labelsMatch === true && (
                      <Tag minimal intent="success" icon="tick" data-testid="labels-match">
                        matches output "{state.classOutput.name}" ({classes} classes)
                      </Tag>
                    )}
                    {state.labelsMatch === false && (
                      <Tag minimal intent="warning" icon="warning-sign" data-testid="labels-mismatch">
                        output "{state.classOutput.name}" has {classes} classes: classes without a label show as "class N"
                      </Tag>
                    )}
                    {state.labelsMatch === null && <span className="ds-muted">(the class count of output "{state.classOutput.name}" is not fixed)</span>}
                  </>
                )}
              </p>
              <ol className="ds-labels-list ds-mono" data-testid="labels-preview">
                {labels.slice(0, SHOWN).map((l, i) => (
                  <li key={i}>
                    <span className="ds-muted">{i}</span> {l}
                  </li>
                ))}
                {labels.length > SHOWN && <li className="ds-muted">… {labels.length - SHOWN} more</li>}
              </ol>
            </>
          ) : (
            <p className="ds-muted" data-testid="labels-none">
              No labels: classes show as numbers.{classes ? ` Output "${state.classOutput?.name}" has ${classes} classes.` : ''}
            </p>
          )}
          <div className="ds-spec-actions">
            <Button size="small" icon="document-open" onClick={() => input.current?.click()} loading={saving} data-testid="labels-choose">
              Load labels file…
            </Button>
            {labels && state.labelsOrigin === 'family' && (
              <Button size="small" variant="minimal" icon="cross" onClick={() => void save({ labels: null })} data-testid="labels-clear">
                Clear
              </Button>
            )}
            <span className="ds-muted">.txt (one a line) or .json (a list, or index → name)</span>
          </div>
          <input
            ref={input}
            type="file"
            accept=".txt,.json,.names,.csv,text/plain,application/json"
            hidden
            data-testid="labels-file-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void file.text().then((t) => use(t, file.name));
            }}
          />
        </div>
        <div>
          <TextArea
            className="ds-labels-paste"
            placeholder={'Or paste class names, one a line:\ntench\ngoldfish\n…'}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && text.trim()) void use(text, 'The pasted list');
            }}
            data-testid="labels-paste"
            aria-label="Paste class names, one a line"
          />
          <Button size="small" disabled={!text.trim()} onClick={() => void use(text, 'The pasted list')} data-testid="labels-use-pasted" title="Ctrl+Enter">
            Use pasted list
          </Button>
        </div>
      </div>
      {problem && (
        <Callout intent="danger" compact icon="error" data-testid="labels-error">
          {problem}
        </Callout>
      )}
    </Card>
  );
}
