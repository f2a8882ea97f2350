// The studio's own installers (`npm run dist`): NSIS + portable (Windows), AppImage + deb (Linux), dmg (macOS), with
// the .onnx file association and onnxruntime-node's and sharp's native files unpacked from the asar.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** What electron/main/main.ts reads under process.resourcesPath/assets when packaged. */
const RESOURCES = ['samples', 'profiles', 'templates', 'icons'];

/** Dependencies the built parts load at run time (everything else is bundled into out/ by esbuild and Vite). */
const RUNTIME_DEPENDENCIES = ['onnxruntime-node', 'sharp'];
const PACKAGE = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
const BUNDLED = Object.keys(PACKAGE.dependencies).filter((d) => !RUNTIME_DEPENDENCIES.includes(d));

/** The app archive: the built parts, the assets (also read from the asar), package.json; no bundled dependency. */
const FILES = ['out/**', 'assets/**', 'package.json', '!**/*.map', `!**/node_modules/{${BUNDLED.join(',')}}/**`];

const ORT_BIN = '**/node_modules/onnxruntime-node/bin/napi-v*';
const ORT_DIRS = { win: 'win32', linux: 'linux', mac: 'darwin' };

/**
 * A platform's `files` (they replace the top-level list in electron-builder): onnxruntime-node's binaries of the other
 * platforms are left out, and of the other CPU architectures of this one (`${arch}` is the architecture being built).
 */
function platformFiles(platform) {
  const others = Object.keys(ORT_DIRS)
    .filter((p) => p !== platform)
    .map((p) => ORT_DIRS[p]);
  const files = [...FILES, `!${ORT_BIN}/{${others.join(',')}}/**`];
  if (platform !== 'mac') files.push(`!${ORT_BIN}/${ORT_DIRS[platform]}/!(\${arch})/**`);
  return files;
}

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'org.deploystudio.studio',
  productName: 'Deploy Studio',
  copyright: 'Copyright © Deploy Studio authors',
  directories: { output: 'release', buildResources: 'build' },
  files: FILES,
  extraResources: RESOURCES.map((dir) => ({ from: `assets/${dir}`, to: `assets/${dir}`, filter: ['**/*'] })),
  asar: true,
  asarUnpack: ['**/node_modules/onnxruntime-node/bin/**', '**/node_modules/sharp/**', '**/node_modules/@img/**', '**/*.node'],
  // onnxruntime-node and sharp ship N-API prebuilt binaries: nothing to rebuild for Electron's ABI
  npmRebuild: false,
  nodeGypRebuild: false,
  // the deb needs a home page and a maintainer; set DEPLOY_STUDIO_HOMEPAGE to the project's real page
  extraMetadata: { homepage: process.env.DEPLOY_STUDIO_HOMEPAGE || 'https://deploy-studio.invalid' },
  fileAssociations: [
    {
      ext: 'onnx',
      name: 'ONNX model',
      description: 'ONNX neural network model',
      mimeType: 'application/x-onnx',
      role: 'Viewer',
      rank: 'Alternate',
    },
  ],
  artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
  win: {
    target: [
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ],
    icon: 'assets/icons/deploy-studio.png',
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
    icon: 'assets/icons/deploy-studio.png',
    category: 'Science',
    maintainer: 'Deploy Studio maintainers <maintainers@deploy-studio.invalid>',
    synopsis: 'Take ONNX models to deployment',
    mimeTypes: ['application/x-onnx'],
    files: platformFiles('linux'),
  },
  deb: { depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'] },
  mac: {
    target: [{ target: 'dmg', arch: ['arm64'] }],
    icon: 'assets/icons/deploy-studio.png',
    category: 'public.app-category.developer-tools',
    hardenedRuntime: true,
    files: platformFiles('mac'),
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
};
