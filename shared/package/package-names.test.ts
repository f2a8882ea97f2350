import { describe, expect, it } from 'vitest';
import { defaultAppName, defaultPackageFolder, modelStem } from './package-names';

describe('default package names', () => {
  it('name the app after the model, not the variant file', () => {
    expect(defaultAppName('resnet18.onnx')).toBe('Resnet18');
    expect(defaultAppName('fashion_cnn-v2.onnx')).toBe('Fashion Cnn V2');
    expect(defaultAppName('channels-50-recovered-14f76f939078.onnx')).not.toMatch(/14f76f939078/);
  });
  it('name folders after model and variant, without the hash', () => {
    expect(defaultPackageFolder('resnet18.onnx', null, 'app')).toBe('resnet18-app');
    expect(defaultPackageFolder('resnet18.onnx', 'original', 'bundle')).toBe('resnet18-bundle');
    expect(defaultPackageFolder('resnet18.onnx', 'channels-50-recovered', 'app')).toBe('resnet18-channels-50-recovered-app');
    expect(modelStem('/x/y/int8-0123456789ab.onnx')).toBe('int8');
  });
});
