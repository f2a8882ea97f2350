/** What made the selected variant: its recipe steps and the reports its passes wrote. */
import { Card, H5, HTMLTable, Tag } from '@blueprintjs/core';
import type { VariantDto } from '../../../shared/api/variants-api';
import { formatBytes } from '../../../shared/format/bytes';
import { formatCount } from '../../../shared/format/count';
import { SaveRecipeButton } from '../../components/variants/save-recipe-button';

/** @returns a report field for reading: sizes (`…Bytes…`) in binary units, params/MACs/FLOPs with SI prefixes. */
function renderValue(key: string, v: unknown): string {
  if (typeof v === 'number' && /bytes/i.test(key)) return formatBytes(v);
  if (typeof v === 'number' && /^(params|macs|flops)/i.test(key)) return formatCount(v);
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v).slice(0, 120);
}

/** Renders the recipe and the scalar fields of each pass report (panels show the rich parts). */
export function VariantReport({ variant }: { variant: VariantDto }) {
  return (
    <Card className="ds-card" data-testid="variant-report">
      <H5>
        {variant.name} <span className="ds-muted">— recipe</span> {variant.recipe && <SaveRecipeButton key={variant.id} variantId={variant.id} recipe={variant.recipe} />}
      </H5>
      <div className="ds-recipe-steps">
        {(variant.recipe?.steps ?? []).map((s, i) => (
          <Tag key={i} large minimal icon="arrow-right">
            {s.pass}
          </Tag>
        ))}
      </div>
      {Object.entries(variant.reports).map(([pass, report]) =>
        report && typeof report === 'object' && !Array.isArray(report) ? (
          <HTMLTable key={pass} compact className="ds-table">
            <caption className="ds-muted">{pass}</caption>
            <tbody>
              {Object.entries(report as Record<string, unknown>)
                .filter(([, v]) => v === null || typeof v !== 'object')
                .map(([k, v]) => (
                  <tr key={k}>
                    <td>{k}</td>
                    <td className="ds-num" title={typeof v === 'number' ? v.toLocaleString('en-US') : undefined}>{renderValue(k, v)}</td>
                  </tr>
                ))}
            </tbody>
          </HTMLTable>
        ) : null,
      )}
    </Card>
  );
}
