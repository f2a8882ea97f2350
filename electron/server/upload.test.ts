/** Upload names: a file's base name made safe; a folder file's relative path kept, each part made safe, depth bounded. */
import { describe, expect, it } from 'vitest';
import { safeFileName, safeRelativePath } from './upload';

describe('upload names', () => {
  it('keeps a plain base name and strips folders and unsafe characters', () => {
    expect(safeFileName('resnet18.onnx')).toBe('resnet18.onnx');
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\model (1).onnx')).toBe('model _1_.onnx');
    expect(safeFileName('.hidden')).toBe('_hidden');
    expect(safeFileName('')).toBe('model.onnx');
  });

  it('keeps the class folders of a folder upload and never climbs out of it', () => {
    expect(safeRelativePath('val/n01440764/ILSVRC2012_val_00000293.JPEG')).toEqual(['val', 'n01440764', 'ILSVRC2012_val_00000293.JPEG']);
    expect(safeRelativePath('val\\cat\\1.png')).toEqual(['val', 'cat', '1.png']);
    expect(safeRelativePath('../../x/./y.png')).toEqual(['_', '_', 'x', 'y.png']);
    expect(safeRelativePath('/abs/file.npy')).toEqual(['abs', 'file.npy']);
    expect(safeRelativePath('')).toBeNull();
    expect(safeRelativePath(`${'d/'.repeat(9)}f.png`)).toBeNull();
    expect(safeRelativePath(`${'d/'.repeat(8)}f.png`)).toHaveLength(9);
  });
});
