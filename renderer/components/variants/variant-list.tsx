/** The variant list: the original and every variant made from it, the same on every screen that shows it. */
import { Button, Card, EditableText, H5, Icon, NonIdealState, Tag, Tooltip } from '@blueprintjs/core';
import type { IconName } from '@blueprintjs/icons';
import { useShallow } from 'zustand/react/shallow';
import type { VariantDto, VariantKind } from '../../../shared/api/variants-api';
import { formatBytes } from '../../../shared/format/bytes';
import { formatCount } from '../../../shared/format/count';
import { useStudio, variantSelectors } from '../../store';
import './variant-list.css';

const KIND_ICON: Record<VariantKind, IconName> = {
  original: 'cube',
  quantized: 'numerical',
  pruned: 'cut',
  fp16: 'floating-point',
  optimized: 'clean',
  imported: 'import',
};

function VariantRow({ v, selected, original }: { v: VariantDto; selected: boolean; original: VariantDto | undefined }) {
  const select = useStudio((s) => s.selectVariant);
  const rename = useStudio((s) => s.renameVariant);
  const remove = useStudio((s) => s.deleteVariant);
  const ratio = original && original.sizeBytes > 0 ? v.sizeBytes / original.sizeBytes : 1;
  return (
    <div
      className={`ds-variant ${selected ? 'ds-variant-selected' : ''}`}
      role="option"
      aria-selected={selected}
      tabIndex={0}
      data-testid="variant-row"
      data-variant-kind={v.kind}
      onClick={() => select(v.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') select(v.id);
      }}
    >
      <Icon icon={KIND_ICON[v.kind]} className="ds-variant-icon" />
      <div className="ds-variant-main">
        {v.kind === 'original' ? (
          <span className="ds-variant-name">original</span>
        ) : (
          <EditableText className="ds-variant-name" defaultValue={v.name} onConfirm={(name) => name.trim() && name !== v.name && void rename(v.id, name.trim())} />
        )}
        <div className="ds-variant-figures">
          {formatBytes(v.sizeBytes)}
          {v.kind !== 'original' && <Tag minimal intent={ratio < 1 ? 'success' : 'none'}>{Math.round(ratio * 100)}%</Tag>}
          <span>{formatCount(v.paramCount, 'params')}</span>
        </div>
      </div>
      {v.kind !== 'original' && (
        <Tooltip content="Delete this variant" compact>
          <Button
            variant="minimal"
            size="small"
            icon="trash"
            aria-label={`Delete ${v.name}`}
            onClick={(e) => {
              e.stopPropagation();
              void remove(v.id);
            }}
          />
        </Tooltip>
      )}
    </div>
  );
}

/** Renders the list with selection. */
export function VariantList() {
  const variants = useStudio(useShallow(variantSelectors.variants));
  const selectedId = useStudio(variantSelectors.selectedId);
  const original = variants.find((v) => v.kind === 'original');
  return (
    <Card className="ds-variants" data-testid="variant-list">
      <H5>Variants</H5>
      {variants.length === 0 ? (
        <NonIdealState icon="layers" description="Open a model to see its variants." />
      ) : (
        <div role="listbox" aria-label="Variants">
          {variants.map((v) => (
            <VariantRow key={v.id} v={v} selected={v.id === selectedId} original={original} />
          ))}
        </div>
      )}
    </Card>
  );
}
