// Builds the engine: the native library, tests and benchmarks (build/native), the WebAssembly
// modules plus the WASM test suite (build/wasm; the modules land in web/lib/wasm/), and on request
// the sanitizer build (build/sanitize: the GoogleTest suite and the fuzzers under ASan + UBSan);
// the pages written in each language from one template (pages.mjs).
// Incremental.
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { log, main, root, run } from './run.mjs';
import { setup } from './setup.mjs';
import { bundle, report } from './bundle.mjs';
import { writePages } from './pages.mjs';

const jobs = String(Math.max(1, os.cpus().length));

// npm puts node_modules/.bin first on PATH, and Debian's emcc runs `wasm-opt` from PATH after each
// link: that would be npm's binaryen 132 (a dev dependency, for scripts/relaxed-madd.mjs) instead of
// the binaryen 108 emcc comes with, and 132 cannot read clang 14's pre-standard relaxed-SIMD opcode
// (seen: "unknown SIMD operation 175"). CMake and emcc run without npm's folders on PATH.
const env = {
  ...process.env,
  PATH: (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.endsWith(`${path.sep}node_modules${path.sep}.bin`))
    .join(path.delimiter),
};

async function configure(dir, args, { emcmake = false } = {}) {
  // configured once; again when CMakeLists.txt changed (a target it adds is unknown to the old
  // Makefiles, which would fail before CMake regenerates them)
  const cache = path.join(root, dir, 'CMakeCache.txt');
  if (existsSync(cache) && statSync(cache).mtimeMs >= statSync(path.join(root, 'CMakeLists.txt')).mtimeMs) return;
  log('build', `configuring ${dir}`);
  const cmake = ['cmake', '-S', '.', '-B', dir, '-DCMAKE_BUILD_TYPE=Release', ...args];
  await run(emcmake ? 'emcmake' : cmake[0], emcmake ? cmake : cmake.slice(1), { env, stage: 'build' });
}

/**
 * @param {{ native?: boolean, wasmTests?: boolean, testModules?: boolean, sanitize?: boolean,
 *   extra?: string[] }} [options] native: library, gtest, benchmarks; wasmTests: the GoogleTest suite
 *   compiled to WASM (on the SIMD128 and the relaxed-SIMD engines); testModules: the module the Node tests run out of memory (build/wasm/oom);
 *   sanitize: build/sanitize (see buildSanitize); extra: more WASM targets (the bench's
 *   attn_ceiling). The three JS modules (relaxed SIMD, SIMD128, scalar) are always built.
 */
export async function build({
  native = true,
  wasmTests = true,
  testModules = false,
  sanitize = false,
  extra = [],
} = {}) {
  if (native) {
    await configure('build/native', []);
    log('build', 'native library, tests and benchmarks');
    await run('cmake', ['--build', 'build/native', '-j', jobs], { env, stage: 'build' });
  }
  await configure('build/wasm', ['-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node'], { emcmake: true });
  const targets = [
    'attention_relaxed',
    'attention_simd',
    'attention_scalar',
    'attention_model_simd',
    'attention_model_scalar',
    ...(testModules ? ['attention_oom'] : []),
    ...(wasmTests ? ['attn_tests', 'attn_tests_relaxed'] : []),
    ...extra,
  ];
  log('build', `WebAssembly: ${targets.join(', ')} (the first build takes about a minute)`);
  await run('cmake', ['--build', 'build/wasm', '-j', jobs, '--target', ...targets], { env, stage: 'build' });
  log('build', 'bundling the elements into dist/ (esbuild)');
  report(await bundle(), 'build');
  log('build', 'the pages in every language (scripts/pages.mjs)');
  await writePages();
  if (sanitize) await buildSanitize();
}

/**
 * build/sanitize, with Clang: the GoogleTest suite and the libFuzzer targets, everything under
 * AddressSanitizer + UndefinedBehaviorSanitizer (every report fatal).
 */
export async function buildSanitize() {
  await configure('build/sanitize', [
    '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
    '-DCMAKE_CXX_COMPILER=clang++',
    '-DATTN_SANITIZE=ON',
    '-DATTN_FUZZ=ON',
    '-DATTN_BUILD_BENCHMARKS=OFF',
  ]);
  log(
    'build',
    'sanitizer build (ASan + UBSan, clang++): the GoogleTest suite and the fuzzers (the first build takes a few minutes)',
  );
  await run('cmake', ['--build', 'build/sanitize', '-j', jobs], { env, stage: 'build' });
}

// How sanitized binaries run: leaks count, and a UBSan report carries its stack.
export const SANITIZER_ENV = {
  ASAN_OPTIONS: 'detect_leaks=1:strict_string_checks=1:check_initialization_order=1',
  UBSAN_OPTIONS: 'print_stacktrace=1',
};

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    await setup({ parts: ['build', 'test'] });
    await build();
    log('build', 'done: web/lib/wasm/ holds the modules the JS API loads, dist/ the elements');
  });
}
