/** The generated app's identity from the user's options: defaults filled in, every field checked. */
import type { PackageSpec } from '../../../shared/api/package-api';
import { checkAppIdentity, defaultAppId, slugify, type AppPlatform, type FieldIssue } from '../../../shared/package/app-identity';
import { checkIcon } from './app-icon';
import { defaultAppName } from '../../../shared/package/package-names';

/** The app's identity, resolved. */
export interface AppSettings {
  name: string;
  appId: string;
  version: string;
  platform: AppPlatform;
  packageName: string;
  iconPath: string | null;
  /** `Name <email>` for the deb package, from the app id's domain */
  maintainer: string;
  authorEmail: string;
}

/** @returns this host's platform in electron-builder's words. */
export function hostPlatform(): AppPlatform {
  return process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux';
}

/** @returns the domain an app id stands for (`com.acme.classifier` → `acme.com`). */
export function appIdDomain(appId: string): string {
  const parts = appId.split('.');
  return parts.length >= 2 ? `${parts[1]}.${parts[0]}`.toLowerCase() : 'example.com';
}

/**
 * Resolves and checks the app options.
 * @param spec - the request
 * @param modelFileName - the file name of the model's original (the default app name comes from it)
 */
export async function resolveAppSettings(spec: PackageSpec, modelFileName: string): Promise<{ settings: AppSettings; issues: FieldIssue[] }> {
  const fallbackName = defaultAppName(modelFileName);
  const name = spec.name ?? fallbackName;
  const appId = spec.appId?.trim() || defaultAppId(name);
  const version = spec.version?.trim() || '1.0.0';
  const issues = checkAppIdentity({ name, appId, version });
  let iconPath: string | null = null;
  if (spec.iconPath) {
    iconPath = spec.iconPath;
    issues.push(...(await checkIcon(spec.iconPath)).issues);
  }
  const domain = appIdDomain(appId);
  const authorEmail = `maintainers@${domain}`;
  return {
    settings: {
      name,
      appId,
      version,
      platform: spec.platform ?? hostPlatform(),
      packageName: slugify(name),
      iconPath,
      maintainer: `${name} maintainers <${authorEmail}>`,
      authorEmail,
    },
    issues,
  };
}
