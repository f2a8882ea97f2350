// Builds the app: main and preload with esbuild (CommonJS for Electron), the renderer with Vite, all into out/.
import * as esbuild from 'esbuild';
import react from '@vitejs/plugin-react';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  absWorkingDir: root,
  external: ['electron', 'onnxruntime-node', 'sharp'],
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...node, entryPoints: ['src/main/main.ts'], outfile: 'out/main/main.cjs' }),
  esbuild.build({ ...node, entryPoints: ['src/preload/preload.ts'], outfile: 'out/preload/preload.cjs' }),
]);

await viteBuild({
  configFile: false,
  root: path.join(root, 'src', 'renderer'),
  base: './',
  logLevel: 'warn',
  plugins: [react()],
  build: { outDir: path.join(root, 'out', 'renderer'), emptyOutDir: true },
});

console.log('built out/main, out/preload and out/renderer');
