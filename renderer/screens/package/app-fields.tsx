/** The app project's options: name, version, app id, icon, platform, and building the installers here. */
import { Button, FormGroup, HTMLSelect, InputGroup, Switch } from '@blueprintjs/core';
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { APP_PLATFORMS } from '../../../shared/package/app-identity';
import { studioClient } from '../../services';
import { packageSelectors, useStudio } from '../../store';
import { issueFor, issueProps } from './field-issues';

const PLATFORM_LABELS = { win: 'Windows: NSIS installer + portable .exe', linux: 'Linux: AppImage + .deb', mac: 'macOS: dmg (Apple silicon)' } as const;

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** The icon picker: a PNG the engine can read (uploaded in the browser), or the generated default. */
function IconField() {
  const form = useStudio(useShallow(packageSelectors.form));
  const plan = useStudio(packageSelectors.plan);
  const set = useStudio((s) => s.setPackageForm);
  const input = useRef<HTMLInputElement>(null);
  const issue = issueFor('iconPath', form, plan);
  return (
    <FormGroup label="Icon" labelFor="package-icon" {...issueProps(issue, 'A square PNG of at least 256×256 (512×512 or more looks best); empty: one is drawn from the name.')}>
      <div className="ds-package-row">
        <InputGroup id="package-icon" readOnly value={form.iconPath ? baseName(form.iconPath) : ''} placeholder="generated from the app name" data-testid="package-icon" />
        <Button icon="media" onClick={() => input.current?.click()} data-testid="package-icon-choose">
          Choose PNG…
        </Button>
        {form.iconPath && <Button icon="cross" variant="minimal" aria-label="Use the generated icon" onClick={() => set({ iconPath: '' })} />}
      </div>
      <input
        ref={input}
        type="file"
        accept="image/png"
        hidden
        data-testid="package-icon-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void studioClient().host.acceptDroppedFiles([file]).then((p) => p && set({ iconPath: p }));
        }}
      />
    </FormGroup>
  );
}

/** Renders the app fields. */
export function AppFields() {
  const form = useStudio(useShallow(packageSelectors.form));
  const plan = useStudio(packageSelectors.plan);
  const set = useStudio((s) => s.setPackageForm);
  const host = studioClient().host;
  const app = plan?.app;
  return (
    <>
      <div className="ds-package-grid">
        <FormGroup label="App name" labelFor="package-name" {...issueProps(issueFor('name', form, plan), 'Shown in title bars, menus and installers.')}>
          <InputGroup id="package-name" value={form.name} placeholder={app?.name ?? 'Model runner'} onValueChange={(name) => set({ name })} data-testid="package-name" />
        </FormGroup>
        <FormGroup label="Version" labelFor="package-version" {...issueProps(issueFor('version', form, plan), 'Semantic version, e.g. 1.0.0.')}>
          <InputGroup id="package-version" value={form.version} onValueChange={(version) => set({ version })} data-testid="package-version" />
        </FormGroup>
      </div>
      <FormGroup label="App id" labelFor="package-app-id" {...issueProps(issueFor('appId', form, plan), 'Reverse DNS of a domain you own, e.g. com.yourcompany.classifier.')}>
        <InputGroup id="package-app-id" value={form.appId} placeholder={app?.appId ?? 'com.yourcompany.classifier'} onValueChange={(appId) => set({ appId })} data-testid="package-app-id" />
      </FormGroup>
      <IconField />
      <FormGroup label="Installers for" labelFor="package-platform">
        <HTMLSelect
          id="package-platform"
          value={form.platform || app?.platform || 'linux'}
          onChange={(e) => set({ platform: e.currentTarget.value as typeof form.platform })}
          options={APP_PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABELS[p] }))}
          data-testid="package-platform"
        />
      </FormGroup>
      <Switch
        checked={form.build}
        label="Build the installers now (electron-builder; needs the Electron release on this machine)"
        onChange={(e) => set({ build: e.currentTarget.checked })}
        data-testid="package-build"
      />
      {form.build && (
        <FormGroup label="Electron release" labelFor="package-electron-dist" {...issueProps(null, 'A folder holding the Electron release zip (or an unpacked Electron); empty: Electron\u2019s download cache.')}>
          <div className="ds-package-row">
            <InputGroup id="package-electron-dist" value={form.electronDist} placeholder="Electron's download cache" onValueChange={(electronDist) => set({ electronDist })} />
            {host.pickFolder && (
              <Button icon="folder-open" onClick={() => void host.pickFolder?.('Folder with the Electron release').then((p) => p && set({ electronDist: p }))}>
                Choose…
              </Button>
            )}
          </div>
        </FormGroup>
      )}
    </>
  );
}
