/** App identity checks: names installers accept, reverse-DNS ids, semver versions, npm package names. */
import { describe, expect, it } from 'vitest';
import { checkAppId, checkAppIdentity, checkAppName, checkVersion, defaultAppId, isSemver, slugify } from './app-identity';

describe('app identity', () => {
  it('accepts semantic versions and refuses others with the reason', () => {
    for (const v of ['1.0.0', '0.1.2', '1.2.3-beta.1', '2.0.0-rc.1+build.5']) expect(isSemver(v)).toBe(true);
    for (const v of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-', 'latest', '']) expect(isSemver(v)).toBe(false);
    expect(checkVersion('v1.2.3')[0].message).toContain('drop the leading "v": 1.2.3');
    expect(checkVersion('v1')[0].message).not.toContain('drop the leading');
  });

  it('checks reverse-DNS app ids and warns about the placeholder domain', () => {
    expect(checkAppId('com.acme.fashion-classifier')).toEqual([]);
    expect(checkAppId('com.example.x')[0]).toMatchObject({ severity: 'warning' });
    for (const bad of ['fashion', 'com..x', 'com.1acme.x', 'com.acme.x_y', '.com.acme', 'com.acme.']) {
      expect(checkAppId(bad)[0]).toMatchObject({ field: 'appId', severity: 'error' });
    }
  });

  it('refuses names installers cannot use', () => {
    expect(checkAppName('Fashion Classifier')).toEqual([]);
    expect(checkAppName('')[0].severity).toBe('error');
    expect(checkAppName('a/b')[0].message).toContain('character installers refuse');
    expect(checkAppName(' padded')[0].message).toContain('spaces');
    expect(checkAppName('x'.repeat(65))[0].message).toContain('64 or fewer');
  });

  it('derives package names and default ids', () => {
    expect(slugify('Fashion Classifier v2!')).toBe('fashion-classifier-v2');
    expect(slugify('Crème brûlée')).toBe('creme-brulee');
    expect(slugify('***')).toBe('model-runner');
    expect(defaultAppId('Fashion Classifier')).toBe('com.example.fashionclassifier');
    expect(defaultAppId('3D Scanner')).toBe('com.example.app3dscanner');
    expect(checkAppId(defaultAppId('3D Scanner')).every((i) => i.severity === 'warning')).toBe(true);
  });

  it('lists errors before warnings', () => {
    const issues = checkAppIdentity({ name: 'X', appId: 'com.example.x', version: 'one' });
    expect(issues.map((i) => i.severity)).toEqual(['error', 'warning']);
  });
});
