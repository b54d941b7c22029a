// Builds the engine: the native library, tests and benchmarks (build/native) and the WebAssembly
// modules plus the WASM test suite (build/wasm; the modules land in web/lib/wasm/). Incremental.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { log, main, root, run } from './run.mjs';
import { setup } from './setup.mjs';
import { bundle, report } from './bundle.mjs';

const jobs = String(Math.max(1, os.cpus().length));

async function configure(dir, args, { emcmake = false } = {}) {
  if (existsSync(path.join(root, dir, 'CMakeCache.txt'))) return;
  log('build', `configuring ${dir}`);
  const cmake = ['cmake', '-S', '.', '-B', dir, '-DCMAKE_BUILD_TYPE=Release', ...args];
  await run(emcmake ? 'emcmake' : cmake[0], emcmake ? cmake : cmake.slice(1), { stage: 'build' });
}

/**
 * @param {{ native?: boolean, wasmTests?: boolean, extra?: string[] }} [options] native: library,
 *   gtest, benchmarks; wasmTests: the GoogleTest suite compiled to WASM; extra: more WASM targets
 *   (the bench's attn_ceiling). The two JS modules are always built.
 */
export async function build({ native = true, wasmTests = true, extra = [] } = {}) {
  if (native) {
    await configure('build/native', []);
    log('build', 'native library, tests and benchmarks');
    await run('cmake', ['--build', 'build/native', '-j', jobs], { stage: 'build' });
  }
  await configure('build/wasm', ['-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node'], { emcmake: true });
  const targets = ['attention_simd', 'attention_scalar', ...(wasmTests ? ['attn_tests'] : []), ...extra];
  log('build', `WebAssembly: ${targets.join(', ')} (the first build takes about a minute)`);
  await run('cmake', ['--build', 'build/wasm', '-j', jobs, '--target', ...targets], { stage: 'build' });
  log('build', 'bundling the elements into dist/ (esbuild)');
  report(await bundle(), 'build');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    await setup({ parts: ['build', 'test'] });
    await build();
    log('build', 'done: web/lib/wasm/ holds the modules the JS API loads, dist/ the elements');
  });
}
