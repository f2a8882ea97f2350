/** The plan of the package: what goes in, what is missing to build, and every file that will be written. */
import { Callout, Card, H5, HTMLTable, Icon, Spinner, Tag } from '@blueprintjs/core';
import type { PackageFile, PackagePlan } from '../../../shared/api/package-api';
import { formatBytes } from '../../../shared/format/bytes';
import { packageSelectors, useStudio } from '../../store';

/** Fields the form shows its own issues for; the others are listed here. */
const FORM_FIELDS = new Set(['name', 'appId', 'version', 'iconPath', 'outDir', 'tritonName', 'targetId', 'reportPaths']);

const ROLE_INTENT: Record<string, 'primary' | 'success' | 'warning' | 'none'> = { model: 'primary', installer: 'success', archive: 'success', readme: 'none' };

function Inputs({ plan }: { plan: PackagePlan }) {
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  return (
    <dl className="ds-package-inputs" data-testid="package-inputs">
      <dt>Model</dt>
      <dd title={plan.modelPath}>{base(plan.modelPath)}</dd>
      <dt>Preprocessing</dt>
      <dd title={plan.preprocessPath ?? ''}>{plan.preprocessPath ? base(plan.preprocessPath) : 'read off the input shape, as the studio does'}</dd>
      <dt>Labels</dt>
      <dd title={plan.labelsPath ?? ''}>{plan.labelsPath ? `${plan.labelCount} classes (${base(plan.labelsPath)})` : 'none: classes show as numbers'}</dd>
      {plan.triton && (
        <>
          <dt>Batching</dt>
          <dd>{plan.triton.dynamicBatch ? `dynamic, max_batch_size ${plan.triton.maxBatchSize}` : 'off (the batch dim is fixed)'}</dd>
          <dt>Instances</dt>
          <dd>{plan.triton.instanceKind ?? 'Triton\u2019s default (choose a target to set them)'}</dd>
        </>
      )}
    </dl>
  );
}

function BuildReadiness({ plan }: { plan: PackagePlan }) {
  if (!plan.build) return null;
  return (
    <Callout intent={plan.build.ready ? 'success' : 'warning'} icon={plan.build.ready ? 'tick-circle' : 'warning-sign'} title={plan.build.ready ? 'Ready to build the installers here' : 'The installers cannot be built here yet'} data-testid="package-build-readiness">
      <ul className="ds-package-reqs">
        {plan.build.requirements.map((r) => (
          <li key={r.what} data-found={r.found}>
            <Icon icon={r.found ? 'tick' : 'cross'} intent={r.found ? 'success' : 'danger'} /> <strong>{r.what}</strong>: {r.detail}
          </li>
        ))}
      </ul>
      {!plan.build.ready && <p>Turn off “Build the installers now” to write the project; build it later where these are available.</p>}
    </Callout>
  );
}

function FileTable({ files, total }: { files: PackageFile[]; total: number }) {
  return (
    <HTMLTable compact striped className="ds-package-files" data-testid="package-files">
      <thead>
        <tr>
          <th>File</th>
          <th>Kind</th>
          <th className="ds-num">Size</th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={f.path}>
            <td className="ds-package-file">{f.path}</td>
            <td>
              <Tag minimal intent={ROLE_INTENT[f.role] ?? 'none'}>
                {f.role}
              </Tag>
            </td>
            <td className="ds-num">{f.bytes === null ? '—' : formatBytes(f.bytes)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={2}>{files.length} files</td>
          <td className="ds-num">{formatBytes(total)}</td>
        </tr>
      </tfoot>
    </HTMLTable>
  );
}

/** Renders the plan card. */
export function PlanView() {
  const plan = useStudio(packageSelectors.plan);
  const planError = useStudio(packageSelectors.planError);
  const planning = useStudio(packageSelectors.planning);
  const other = plan?.issues.filter((i) => !FORM_FIELDS.has(i.field)) ?? [];
  return (
    <Card className="ds-package-card" data-testid="package-plan" data-ok={plan?.ok ?? false}>
      <div className="ds-package-plan-head">
        <H5>What will be written</H5>
        {planning && <Spinner size={16} />}
      </div>
      {planError && (
        <Callout intent="danger" icon="error" title="The options cannot be checked">
          {planError.message}
        </Callout>
      )}
      {plan && (
        <>
          <p className="ds-package-dest" data-testid="package-dest">
            <Icon icon="folder-close" /> <span title={plan.outDir}>{plan.outDir}</span>
            {plan.outDirExists && (
              <Tag intent="warning" minimal>
                exists
              </Tag>
            )}
          </p>
          <Inputs plan={plan} />
          {other.map((i) => (
            <Callout key={i.message} intent={i.severity === 'error' ? 'danger' : 'warning'} icon={i.severity === 'error' ? 'error' : 'warning-sign'} className="ds-package-issue" data-testid="package-issue">
              {i.message}
            </Callout>
          ))}
          <BuildReadiness plan={plan} />
          <FileTable files={plan.files} total={plan.totalBytes} />
        </>
      )}
    </Card>
  );
}
