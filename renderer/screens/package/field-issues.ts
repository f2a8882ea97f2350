/** The problem to show under a form field: instant checks of the app identity, else the plan's issue for that field. */
import type { Intent } from '@blueprintjs/core';
import type { PackagePlan } from '../../../shared/api/package-api';
import { checkAppId, checkAppName, checkVersion, type FieldIssue } from '../../../shared/package/app-identity';
import type { PackageForm } from '../../store/package-slice';

/** @returns the first issue of a field, checking name, app id and version as the user types. */
export function issueFor(field: string, form: PackageForm, plan: PackagePlan | null): FieldIssue | null {
  if (form.format === 'app') {
    if (field === 'name' && form.name) return checkAppName(form.name)[0] ?? null;
    if (field === 'appId' && form.appId) return checkAppId(form.appId.trim())[0] ?? null;
    if (field === 'version' && form.version) return checkVersion(form.version.trim())[0] ?? null;
  }
  return plan?.issues.find((i) => i.field === field) ?? null;
}

/** @returns FormGroup props for an issue: its intent and message. */
export function issueProps(issue: FieldIssue | null, helper?: string): { intent: Intent; helperText?: string } {
  if (!issue) return { intent: 'none', ...(helper ? { helperText: helper } : {}) };
  return { intent: issue.severity === 'error' ? 'danger' : 'warning', helperText: issue.message };
}
