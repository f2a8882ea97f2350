/** Applying a profile on this host: providers it has, threads capped to its processors, what is not emulated. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProfile, type TargetProfile } from '../../../shared/targets/profile-schema';
import { sessionOptionsForProfile } from './session-profile';

function builtIn(id: string): TargetProfile {
  const r = parseProfile(JSON.parse(fs.readFileSync(path.join(__dirname, '../../../assets/profiles', `${id}.json`), 'utf8')));
  if (!r.ok) throw new Error(r.message);
  return r.profile;
}

describe('sessionOptionsForProfile', () => {
  it('keeps the providers this host loads and says which it lacks', () => {
    const hostEps = [
      { name: 'cpu', bundled: true, loadable: true, reason: null },
      { name: 'cuda', bundled: false, loadable: true, reason: null },
      { name: 'tensorrt', bundled: false, loadable: false, reason: 'Failed to load shared library' },
    ];
    const { options, session } = sessionOptionsForProfile(builtIn('jetson-agx-orin'), hostEps, 16);
    expect(options.executionProviders).toEqual(['cuda', 'cpu']);
    expect(options.intraOpThreads).toBe(4);
    expect(options.graphOptimizationLevel).toBe('all');
    expect(session.notEmulated.join('\n')).toContain('tensorrt: not available on this host (Failed to load shared library)');
  });

  it('caps threads to the host, maps WebAssembly to the CPU provider, and leaves 0 threads to onnxruntime', () => {
    const server = sessionOptionsForProfile(builtIn('server-x86-amx'), [], 2);
    expect(server.options.intraOpThreads).toBe(2);
    expect(server.session.notEmulated[0]).toContain('56 intra-op threads: this host has 2 logical processors');
    const wasm = sessionOptionsForProfile(builtIn('browser-wasm'), [], 8);
    expect(wasm.options.executionProviders).toEqual(['cpu']);
    expect(wasm.session.notEmulated.join(' ')).toContain('WebAssembly: the native CPU provider stands in');
    const host = sessionOptionsForProfile(builtIn('host'), [], 8);
    expect(host.options.intraOpThreads).toBeUndefined();
    expect(host.session.notEmulated).toEqual([]);
  });
});
