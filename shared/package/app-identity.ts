/** Validation of a generated app's identity: display name, app id (reverse DNS), semver version, package name. */

/** One problem with a field, in words a user can act on. */
export interface FieldIssue {
  field: string;
  severity: 'error' | 'warning';
  message: string;
}

/** The platforms a model-runner app can be built for. */
export const APP_PLATFORMS = ['win', 'linux', 'mac'] as const;
export type AppPlatform = (typeof APP_PLATFORMS)[number];

/** Semantic Versioning 2.0.0, the grammar npm and electron-builder accept (no leading `v`). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Reverse-DNS segments: a letter first, then letters, digits or hyphens (Apple's CFBundleIdentifier rules). */
const APP_ID_SEGMENT = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Characters no file system or installer accepts in a product name (control characters are checked apart). */
const BAD_NAME_CHARS = /[<>:"/\\|?*]/;

function hasControlChar(s: string): boolean {
  return [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

/** @returns true when `v` is a semantic version such as `1.2.3` or `1.0.0-beta.1`. */
export function isSemver(v: string): boolean {
  return SEMVER.test(v);
}

/**
 * Turns a display name into an npm package name: lower case, words joined by hyphens.
 * @returns a valid npm name, `model-runner` when nothing usable is left
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'model-runner';
}

/** @returns the default app id for a name (a placeholder domain the user is told to replace). */
export function defaultAppId(name: string): string {
  const segment = slugify(name).replace(/-/g, '');
  return `com.example.${/^[a-z]/.test(segment) ? segment : `app${segment}`}`;
}

/** Checks a display name (productName): shown in title bars, installers and file names. */
export function checkAppName(name: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const trimmed = name.trim();
  if (!trimmed) issues.push({ field: 'name', severity: 'error', message: 'Give the app a name (for example "Fashion Classifier").' });
  else if (trimmed.length > 64) issues.push({ field: 'name', severity: 'error', message: `The name is ${trimmed.length} characters long: keep it to 64 or fewer.` });
  else if (BAD_NAME_CHARS.test(trimmed) || hasControlChar(trimmed)) {
    issues.push({ field: 'name', severity: 'error', message: 'The name contains a character installers refuse (< > : " / \\ | ? * or a control character): remove it.' });
  } else if (trimmed !== name) issues.push({ field: 'name', severity: 'error', message: 'The name starts or ends with spaces: remove them.' });
  return issues;
}

/** Checks an app id: reverse DNS such as `com.acme.fashion-classifier`. */
export function checkAppId(appId: string): FieldIssue[] {
  const parts = appId.split('.');
  if (!appId) return [{ field: 'appId', severity: 'error', message: 'Give an app id in reverse-DNS form, such as com.yourcompany.fashionclassifier.' }];
  if (appId.length > 155) return [{ field: 'appId', severity: 'error', message: 'The app id is longer than 155 characters (Apple\'s limit): shorten it.' }];
  if (parts.length < 2 || parts.some((p) => !APP_ID_SEGMENT.test(p))) {
    return [
      {
        field: 'appId',
        severity: 'error',
        message: `"${appId}" is not a reverse-DNS app id: use at least two dot-separated parts, each starting with a letter and holding only letters, digits and hyphens (for example com.yourcompany.fashionclassifier).`,
      },
    ];
  }
  if (parts[0].toLowerCase() === 'com' && parts[1]?.toLowerCase() === 'example') {
    return [{ field: 'appId', severity: 'warning', message: `${appId} uses the placeholder domain example.com: replace it with a domain you own before you publish the app.` }];
  }
  return [];
}

/** Checks a version: semver, as npm and electron-builder require. */
export function checkVersion(version: string): FieldIssue[] {
  if (isSemver(version)) return [];
  const hint = /^v\d/.test(version) && isSemver(version.slice(1)) ? ` (drop the leading "v": ${version.slice(1)})` : '';
  return [{ field: 'version', severity: 'error', message: `"${version}" is not a semantic version such as 1.0.0 or 1.2.0-beta.1${hint}.` }];
}

/**
 * Checks everything about an app's identity that needs no file access (the icon is checked by the engine).
 * @returns the issues, errors first
 */
export function checkAppIdentity(id: { name: string; appId: string; version: string }): FieldIssue[] {
  const issues = [...checkAppName(id.name), ...checkAppId(id.appId), ...checkVersion(id.version)];
  return issues.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
