import { describe, expect, it } from 'vitest';
import { modelNameFromFile, reportFileName } from './report-name';

describe('report names', () => {
  it('come from the model, not the variant', () => {
    expect(reportFileName(modelNameFromFile('/tmp/x/resnet18.onnx'), 'html')).toBe('resnet18-comparison.html');
    expect(reportFileName(modelNameFromFile('C:\\models\\Mobile Net v2.ONNX'), 'csv')).toBe('Mobile-Net-v2-comparison.csv');
  });
  it('never give an empty or hidden name', () => {
    expect(reportFileName(modelNameFromFile('.onnx'), 'md')).toBe('model-comparison.md');
    expect(reportFileName('../..', 'json')).toBe('model-comparison.json');
  });
});
