/** The Demo's second-model picker: any other variant of the family, shown side by side with the model. */
import { HTMLSelect } from '@blueprintjs/core';
import { useShallow } from 'zustand/react/shallow';
import { demoSelectors, useStudio, variantSelectors } from '../../store';

/** Renders the picker; `testId` names it for tests (the classify and task tabs each have one). */
export function ComparePicker({ testId }: { testId: string }) {
  const modelId = useStudio((s) => s.demo.modelId);
  const variants = useStudio(useShallow(variantSelectors.variants));
  const compareId = useStudio(demoSelectors.compareId);
  const setCompare = useStudio((s) => s.setDemoCompare);
  const others = variants.filter((v) => v.modelId !== modelId);
  return (
    <HTMLSelect
      aria-label="Second model"
      value={compareId ?? ''}
      onChange={(e) => void setCompare(e.target.value || null)}
      data-testid={testId}
      options={[{ value: '', label: others.length ? 'Compare with a variant…' : 'No variants yet (make one in Optimize)' }, ...others.map((v) => ({ value: v.modelId, label: v.name }))]}
      disabled={others.length === 0}
    />
  );
}
