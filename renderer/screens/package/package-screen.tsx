/** The Package place: pick the variant and the format, fill the options, see the files, package with progress. */
import { NonIdealState } from '@blueprintjs/core';
import { useEffect } from 'react';
import { VariantList } from '../../components/variants/variant-list';
import { modelSelectors, packageSelectors, useStudio, variantSelectors } from '../../store';
import { ExportTflitePanel } from './export-tflite-panel';
import { PackageFormView } from './package-form';
import { PackageOutcome } from './package-outcome';
import { PlanView } from './plan-view';
import './package.css';

/** Renders the screen. */
export function PackageScreen() {
  const summary = useStudio(modelSelectors.summary);
  const selected = useStudio(variantSelectors.selected);
  const modelId = useStudio(packageSelectors.modelId);
  const form = useStudio(packageSelectors.form);
  const planPackage = useStudio((s) => s.planPackage);

  useEffect(() => {
    if (!modelId) return;
    const t = setTimeout(() => void planPackage(), 250);
    return () => clearTimeout(t);
  }, [form, modelId, planPackage]);

  if (!summary) {
    return <NonIdealState icon="box" title="No model open" description="Open a model in the Model place; then package it (or a variant made from it) here." />;
  }
  return (
    <div className="ds-screen" data-screen="package">
      <header className="ds-screen-header">
        <div className="ds-screen-title">
          <h1>Package</h1>
          <div className="ds-screen-sub ds-muted">
            Ship <strong>{selected && selected.kind !== 'original' ? selected.name : 'the original'}</strong> of {summary.fileName} as a desktop app, a Node
            bundle or a Triton model repository. The model file is never changed; the output appears only when complete.
          </div>
        </div>
      </header>
      <div className="ds-package">
        <VariantList />
        <div className="ds-package-main">
          <div className="ds-package-column">
            <PackageOutcome />
            <PackageFormView />
          </div>
          <div className="ds-package-column">
            <PlanView />
            <ExportTflitePanel />
          </div>
        </div>
      </div>
    </div>
  );
}
