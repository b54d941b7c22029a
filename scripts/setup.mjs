// Installs what the project needs and is missing: Debian packages (as root, with apt-get) and the
// npm dependencies (npm ci against the committed lockfile). Safe to run again: it does only what is
// missing. Elsewhere it prints exactly what to install.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { log, main, root, run, which } from './run.mjs';

// What each part needs, as Debian (bookworm) packages and a file that proves each is there.
const PACKAGES = {
  build: [
    ['cmake', '/usr/bin/cmake'],
    ['g++', '/usr/bin/g++'],
    ['make', '/usr/bin/make'],
    ['emscripten', '/usr/bin/emcc'],
    ['libxtensor-dev', '/usr/include/xtensor/xtensor.hpp'],
    ['xtl-dev', '/usr/include/xtl/xtl_config.hpp'],
  ],
  test: [
    ['googletest', '/usr/src/googletest/CMakeLists.txt'],
    ['libgtest-dev', '/usr/include/gtest/gtest.h'],
    ['libbenchmark-dev', '/usr/include/benchmark/benchmark.h'],
    ['chromium', '/usr/bin/chromium'],
    // the sanitizer suite and the fuzzers: Clang with its sanitizer and libFuzzer runtimes
    ['clang', '/usr/bin/clang++'],
    ['libclang-rt-14-dev', '/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a'],
    // a CJK font, so that the browser tests and their screenshots render 汤姆 追逐 杰瑞 (5 MB)
    ['fonts-wqy-microhei', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'],
    // runs the NumPy code the playground exports, to check that it rebuilds the matrix
    ['python3-numpy', '/usr/lib/python3/dist-packages/numpy/__init__.py'],
    // the format check of the C++ (npm run format)
    ['clang-format', '/usr/bin/clang-format'],
  ],
};

function missingPackages(parts) {
  return parts
    .flatMap((part) => PACKAGES[part])
    .filter(([, file]) => !existsSync(file))
    .map(([pkg]) => pkg);
}

async function installPackages(packages) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(
      `setup: missing ${packages.join(', ')}.\n` +
        `On Debian bookworm (as root):  apt-get install --no-install-recommends ${packages.join(' ')}\n` +
        'Elsewhere: CMake >= 3.21, a C++17 compiler, Emscripten (tested with 3.1.6), xtensor 0.24 + xtl ' +
        'headers in /usr/include, GoogleTest sources in /usr/src/googletest, Google Benchmark, ' +
        'clang++ with its sanitizer and libFuzzer runtimes for the sanitizer and fuzz suites, and ' +
        'Chromium at /usr/bin/chromium for the browser tests.',
    );
  }
  log('setup', `installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, stage: 'setup' });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, stage: 'setup' });
}

async function installNodeModules() {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.attention-playground-lock');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  log('setup', 'installing npm dependencies (npm ci)');
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
  await run(npm[0], [...npm[1], 'ci', '--no-audit', '--no-fund'], { stage: 'setup' });
  writeFileSync(stamp, hash);
}

/**
 * @param {{ parts?: ('build' | 'test')[] }} [options] which parts' packages to ensure
 */
export async function setup({ parts = ['build', 'test'] } = {}) {
  const [major] = process.versions.node.split('.').map(Number);
  if (major < 20) throw new Error(`setup: Node >= 20 is required, this is ${process.version}`);
  const missing = missingPackages(parts);
  if (missing.length) await installPackages(missing);
  const still = missingPackages(parts);
  if (still.length) throw new Error(`setup: still missing after install: ${still.join(', ')}`);
  await installNodeModules();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    await setup();
    log('setup', 'everything is installed');
  });
}
