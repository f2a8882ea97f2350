// Builds the studio: ONNX protobuf types, the Node parts (main, preload, engine host, CLI) with esbuild, the renderer with vite.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

/**
 * Regenerates electron/engine/onnx/gen/onnx_pb.ts (committed) from the vendored onnx.proto when the .proto is newer.
 * Needs protoc (Debian: protobuf-compiler); protoc-gen-es comes from node_modules.
 */
export function genProto() {
  const proto = path.join(root, 'electron/engine/onnx/proto/onnx.proto');
  const out = path.join(root, 'electron/engine/onnx/gen/onnx_pb.ts');
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(proto).mtimeMs - 1000) return;
  const hasProtoc = spawnSync('protoc', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasProtoc && fs.existsSync(out)) {
    console.warn('onnx.proto looks newer than its generated types, but protoc is not installed: keeping the committed onnx_pb.ts.');
    return;
  }
  execFileSync(
    'protoc',
    [`--plugin=protoc-gen-es=${bin('protoc-gen-es')}`, '--es_out=electron/engine/onnx/gen', '--es_opt=target=ts,import_extension=none', '-I', 'electron/engine/onnx/proto', 'onnx.proto'],
    { cwd: root, stdio: 'inherit' },
  );
}

/** Bundles the Node entry points to out/ as CommonJS (native modules stay external). */
export async function buildNode() {
  genProto();
  const esbuild = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    external: ['electron', 'onnxruntime-node', 'sharp', 'playwright-core', 'electron-builder'],
    logLevel: 'warning',
    absWorkingDir: root,
  };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'out/main/main.cjs' }),
    esbuild.build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'out/preload/preload.cjs', sourcemap: false }),
    esbuild.build({ ...common, entryPoints: ['electron/engine/host/worker-main.ts'], outfile: 'out/engine/engine-host.cjs' }),
    esbuild.build({ ...common, entryPoints: ['electron/engine/runtime/runner/runner-main.ts'], outfile: 'out/engine/runtime-runner.cjs' }),
    esbuild.build({ ...common, entryPoints: ['electron/cli/cli.ts'], outfile: 'out/cli/cli.cjs' }),
  ]);
}

/** Builds the renderer with vite into out/renderer. */
export function buildRenderer() {
  execFileSync(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv[2];
  const t0 = performance.now();
  if (only !== '--renderer') await buildNode();
  const t1 = performance.now();
  if (only !== '--node') buildRenderer();
  const t2 = performance.now();
  console.log(`build: node parts ${((t1 - t0) / 1000).toFixed(1)} s, renderer ${((t2 - t1) / 1000).toFixed(1)} s`);
}
