/** The Model place: open a model, see its summary, or the error that stopped it. */
import { Button, ButtonGroup, Callout, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { uploadedName } from '../../services/upload-client';
import { modelSelectors, useStudio } from '../../store';
import { formatBytes } from '../../../shared/format/bytes';
import { ProblemsBanner } from './problems-banner';
import { RecentList } from './recent-list';
import { SummaryView } from './summary-view';

/** Buttons to open a model, shared by the header and the empty state. */
function OpenButtons({ large = false }: { large?: boolean }) {
  const pickAndOpen = useStudio((s) => s.pickAndOpen);
  const openSample = useStudio((s) => s.openSample);
  const size = large ? 'large' : 'medium';
  return (
    <ButtonGroup>
      <Button icon="folder-open" intent="primary" size={size} onClick={() => void pickAndOpen()} data-testid="open-model">
        Open model…
      </Button>
      <Button icon="lightbulb" size={size} onClick={() => void openSample()} data-testid="open-sample">
        Open sample
      </Button>
    </ButtonGroup>
  );
}

/** Renders the screen. */
export function ModelScreen() {
  const summary = useStudio(modelSelectors.summary);
  const opening = useStudio(modelSelectors.opening);
  const error = useStudio(modelSelectors.openError);
  const dismiss = useStudio((s) => s.dismissError);
  return (
    <div className="ds-screen" data-screen="model">
      <header className="ds-screen-header">
        <div className="ds-screen-title">
          <h1 data-testid="model-title">{summary ? (uploadedName(summary.path) ?? summary.fileName) : 'Model'}</h1>
          {summary && (
            <div className="ds-screen-sub">
              <Tag minimal>{formatBytes(summary.fileSizeBytes + summary.externalDataBytes)}</Tag>
              <Tag minimal>IR {summary.irVersion}</Tag>
              {Object.entries(summary.opsetImports).map(([d, v]) => (
                <Tag minimal key={d}>
                  {d || 'ai.onnx'} opset {v}
                </Tag>
              ))}
              {summary.producerName && (
                <Tag minimal className="ds-untrusted-tag" htmlTitle={`${summary.producerName} ${summary.producerVersion}`}>
                  {summary.producerName} {summary.producerVersion}
                </Tag>
              )}
              <span className="ds-path" title={summary.path} data-testid="model-path">
                {uploadedName(summary.path) ? 'uploaded from your computer (a copy kept for this session)' : summary.path}
              </span>
            </div>
          )}
        </div>
        <div className="ds-screen-actions">
          {opening && <Spinner size={16} />}
          <OpenButtons />
        </div>
      </header>
      {error && (
        <Callout intent="danger" icon="error" title={`Could not open ${error.file}`} className="ds-error" data-testid="open-error">
          <p>{error.message}</p>
          <p className="ds-muted">Error code: {error.code}</p>
          <ButtonGroup>
            <Button size="small" onClick={dismiss}>
              Dismiss
            </Button>
          </ButtonGroup>
        </Callout>
      )}
      <div className="ds-screen-body">
        {summary ? (
          <>
            <ProblemsBanner key={summary.path} problems={summary.problems} />
            <SummaryView summary={summary} />
          </>
        ) : opening ? (
          <NonIdealState icon={<Spinner />} title={`Opening ${opening}…`} />
        ) : (
          <NonIdealState
            icon="cube-add"
            title="Open an ONNX model"
            description="Drop an .onnx file anywhere on this window, choose one, or start with the bundled Fashion-MNIST sample."
            action={<OpenButtons large />}
          />
        )}
        <RecentList />
      </div>
    </div>
  );
}
