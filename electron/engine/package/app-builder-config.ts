/** The electron-builder configuration of a generated model-runner app: installers per platform, native files unpacked. */
import type { AppPlatform } from '../../../shared/package/app-identity';

/** onnxruntime-node's binaries, by electron-builder platform key and the Node platform folder they live in. */
export const ORT_PLATFORM_DIRS: Record<AppPlatform, string> = { win: 'win32', linux: 'linux', mac: 'darwin' };

/** CPU architectures onnxruntime-node 1.30 ships binaries for, per platform (its `bin/napi-v6/<platform>/<arch>`). */
export const ORT_ARCHES: Record<AppPlatform, Array<'x64' | 'arm64'>> = { win: ['x64', 'arm64'], linux: ['x64', 'arm64'], mac: ['arm64'] };

/**
 * Files kept out of the app archive (asar) because native code loads them from disk: every file of onnxruntime-node's
 * `bin` folder (`.node`, `.so*`, `.dylib`, `.dll`), sharp and its libvips packages, and anything `.node`.
 */
export const ASAR_UNPACK = ['**/node_modules/onnxruntime-node/bin/**', '**/node_modules/sharp/**', '**/node_modules/@img/**', '**/*.node'];

/** What the app archive holds: the built app and package.json (node_modules' production deps are added by electron-builder). */
export const APP_FILES = ['out/**', 'package.json', '!**/*.map'];

/**
 * `files` of one platform: the app's files without onnxruntime-node's binaries of the other platforms and of the other CPU
 * architectures of this one (`${arch}` is the architecture being built).
 */
export function platformFiles(platform: AppPlatform): string[] {
  // a platform's `files` replace the top-level list in electron-builder, so each one repeats APP_FILES
  const others = (Object.keys(ORT_PLATFORM_DIRS) as AppPlatform[]).filter((p) => p !== platform).map((p) => ORT_PLATFORM_DIRS[p]);
  const ortBin = '**/node_modules/onnxruntime-node/bin/napi-v*';
  const excl = [...APP_FILES, `!${ortBin}/{${others.join(',')}}/**`];
  if (ORT_ARCHES[platform].length > 1) excl.push(`!${ortBin}/${ORT_PLATFORM_DIRS[platform]}/!(\${arch})/**`);
  return excl;
}

export interface AppIdentity {
  appId: string;
  productName: string;
  /** the Linux maintainer line (`Name <email>`), needed by deb */
  maintainer: string;
  electronVersion: string;
}

/**
 * Builds the config (written as `electron-builder.json`).
 * @param id - app id, product name, maintainer, the pinned Electron version
 * @returns a plain object electron-builder's schema accepts
 */
export function appBuilderConfig(id: AppIdentity): Record<string, unknown> {
  return {
    $schema: 'https://raw.githubusercontent.com/electron-userland/electron-builder/master/packages/app-builder-lib/scheme.json',
    appId: id.appId,
    productName: id.productName,
    electronVersion: id.electronVersion,
    copyright: `Copyright © ${new Date().getFullYear()} ${id.productName} authors`,
    directories: { output: 'dist', buildResources: 'build' },
    files: APP_FILES,
    extraResources: [{ from: 'model', to: 'model', filter: ['**/*'] }],
    asar: true,
    asarUnpack: ASAR_UNPACK,
    npmRebuild: false,
    nodeGypRebuild: false,
    artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
    win: {
      target: [
        { target: 'nsis', arch: ['x64'] },
        { target: 'portable', arch: ['x64'] },
      ],
      icon: 'build/icon.png',
      files: platformFiles('win'),
    },
    nsis: {
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
      createDesktopShortcut: true,
      artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
    },
    portable: { artifactName: '${productName}-${version}-portable-${arch}.${ext}' },
    linux: {
      target: [
        { target: 'AppImage', arch: ['x64'] },
        { target: 'deb', arch: ['x64'] },
      ],
      icon: 'build/icon.png',
      category: 'Science',
      maintainer: id.maintainer,
      synopsis: `${id.productName}: runs an ONNX model on images`,
      files: platformFiles('linux'),
    },
    deb: { depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'] },
    mac: {
      target: [{ target: 'dmg', arch: ['arm64'] }],
      icon: 'build/icon.png',
      category: 'public.app-category.developer-tools',
      hardenedRuntime: true,
      files: platformFiles('mac'),
    },
    dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  };
}
