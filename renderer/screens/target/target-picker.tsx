/** The target picker: one card per profile with its key figures; the chosen one is highlighted. */
import { Callout, Card, Icon, Tag, Tooltip } from '@blueprintjs/core';
import type { IconName } from '@blueprintjs/icons';
import type { DeviceClass, TargetProfile } from '../../../shared/targets/profile-schema';
import { targetSelectors, useStudio } from '../../store';
import { formatBytes } from '../../../shared/format/bytes';
import { formatOps } from '../../../shared/format/count';

const CLASS_ICONS: Record<DeviceClass, IconName> = {
  'desktop-cpu': 'desktop',
  'server-cpu': 'database',
  'edge-arm-cpu': 'mobile-video',
  'mobile-arm-cpu': 'mobile-phone',
  'nvidia-gpu': 'flash',
  npu: 'predictive-analysis',
  browser: 'globe-network',
};

function bestPrecision(p: TargetProfile): string {
  const pref = p.precisions.preferred;
  return `${formatOps(p.peakGops[pref], pref.startsWith('int') ? 'OPS' : 'FLOPS')} ${pref}`;
}

function TargetCard({ id }: { id: string }) {
  const entry = useStudio((s) => s.targets.find((t) => t.profile.id === id));
  const selected = useStudio(targetSelectors.selectedTargetId) === id;
  const select = useStudio((s) => s.selectTarget);
  if (!entry) return null;
  const p = entry.profile;
  return (
    <Card
      className={`ds-target-card${selected ? ' ds-target-card-selected' : ''}`}
      interactive
      selected={selected}
      onClick={() => select(id)}
      data-testid={`target-card-${id}`}
      aria-pressed={selected}
      tabIndex={0}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && select(id)}
    >
      <div className="ds-target-card-head">
        <Icon icon={CLASS_ICONS[p.deviceClass]} size={16} />
        <span className="ds-target-card-name">{p.name}</span>
        {entry.detected && (
          <Tag minimal intent="success" title="Figures detected and measured on this machine">
            detected
          </Tag>
        )}
        {!entry.builtIn && (
          <Tag minimal intent="primary" title={entry.path}>
            yours
          </Tag>
        )}
      </div>
      <div className="ds-target-card-figures">
        <Tooltip content="Peak compute in the target's preferred precision" compact>
          <span>{bestPrecision(p)}</span>
        </Tooltip>
        <span>{p.memoryBandwidthGBs} GB/s</span>
        <span>{formatBytes(p.memoryBudgetBytes)} RAM</span>
      </div>
      <div className="ds-target-card-eps ds-muted">
        {p.executionProviders.join(' → ')} · {p.precisions.supported.join(', ')}
      </div>
    </Card>
  );
}

/** Renders the list of cards. */
export function TargetPicker() {
  const targets = useStudio(targetSelectors.targets);
  const invalid = useStudio(targetSelectors.invalidProfiles);
  return (
    <div className="ds-target-picker" data-testid="target-picker" role="listbox" aria-label="Target profiles">
      {targets.map((t) => (
        <TargetCard key={t.profile.id} id={t.profile.id} />
      ))}
      {invalid.map((bad) => (
        <Callout key={bad.file} intent="warning" icon="warning-sign" className="ds-target-invalid" title="Profile refused">
          {bad.message}
        </Callout>
      ))}
    </div>
  );
}
