/** The variant list: the original and every variant made from it, the same on every screen that shows it. */
import { Alert, Button, Card, EditableText, H5, Icon, NonIdealState, OverlayToaster, Tag, Toast, Tooltip } from '@blueprintjs/core';
import type { IconName } from '@blueprintjs/icons';
import { useState } from 'react';
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

/** How long the Undo offer stays after a delete. */
const UNDO_MS = 12_000;

interface RowProps {
  v: VariantDto;
  selected: boolean;
  original: VariantDto | undefined;
  onDelete(v: VariantDto): void;
}

function VariantRow({ v, selected, original, onDelete }: RowProps) {
  const select = useStudio((s) => s.selectVariant);
  const rename = useStudio((s) => s.renameVariant);
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
          <Tooltip content="Weights and biases; quantization scales and zero points are not counted" compact>
            <span>{formatCount(v.paramCount, 'params')}</span>
          </Tooltip>
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
              onDelete(v);
            }}
          />
        </Tooltip>
      )}
    </div>
  );
}

/** Asks before a delete; after it, offers Undo for a while. */
function DeleteFlow({ pending, onClose }: { pending: VariantDto | null; onClose(): void }) {
  const remove = useStudio((s) => s.deleteVariant);
  const restore = useStudio((s) => s.restoreVariant);
  const deleted = useStudio(variantSelectors.deleted);
  const dismiss = useStudio((s) => s.dismissDeleted);
  return (
    <>
      <Alert
        isOpen={pending !== null}
        intent="danger"
        icon="trash"
        cancelButtonText="Keep it"
        confirmButtonText="Delete"
        canEscapeKeyCancel
        onCancel={onClose}
        onConfirm={() => {
          if (pending) void remove(pending.id);
          onClose();
        }}
      >
        <p data-testid="delete-confirm">
          Delete the variant <strong>{pending?.name}</strong>? Its file is removed when the studio closes; until then you can undo.
        </p>
      </Alert>
      <OverlayToaster position="bottom">
        {deleted && (
          <Toast
            key={deleted.id}
            icon="trash"
            timeout={UNDO_MS}
            message={<span data-testid="delete-toast">Deleted {deleted.name}.</span>}
            action={{ text: 'Undo', icon: 'undo', onClick: () => void restore(deleted.id) }}
            onDismiss={() => dismiss(deleted.id)}
          />
        )}
      </OverlayToaster>
    </>
  );
}

/** Renders the list with selection. */
export function VariantList() {
  const variants = useStudio(useShallow(variantSelectors.variants));
  const selectedId = useStudio(variantSelectors.selectedId);
  const [pending, setPending] = useState<VariantDto | null>(null);
  const original = variants.find((v) => v.kind === 'original');
  return (
    <Card className="ds-variants" data-testid="variant-list">
      <H5>Variants</H5>
      {variants.length === 0 ? (
        <NonIdealState icon="layers" description="Open a model to see its variants." />
      ) : (
        <div role="listbox" aria-label="Variants">
          {variants.map((v) => (
            <VariantRow key={v.id} v={v} selected={v.id === selectedId} original={original} onDelete={setPending} />
          ))}
        </div>
      )}
      <DeleteFlow pending={pending} onClose={() => setPending(null)} />
    </Card>
  );
}
