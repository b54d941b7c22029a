// `npm test`: installs what is missing, builds, then runs every suite and prints one summary.
//   format   the C++ and JS as clang-format and prettier write them (npm run format fixes it)
//   native   GoogleTest via ctest (build/native)
//   wasm     the same GoogleTest suite compiled to WASM (SIMD128 and relaxed SIMD), under Node (ctest,
//            build/wasm)
//   node     node --test tests/node/*.test.mjs (the public JS API)
//   property node --test tests/property/*.test.mjs (fast-check against a float64 oracle, fixed seed;
//            FC_SEED, FC_RUNS and the replay line printed on failure: see tests/property/harness.mjs)
//   browser  node --test tests/browser/*.test.mjs (real headless Chromium)
//   sanitize the GoogleTest suite under AddressSanitizer + UBSan (ctest, build/sanitize, clang++)
//   fuzz     libFuzzer on every call of the bindings, 30 s per target (SIMD, relaxed, scalar) from the
//            committed corpus with a scratch working corpus (scripts/fuzz.mjs)
// Pass suite names to run only those: `npm test -- node browser`.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { build, SANITIZER_ENV } from './build.mjs';
import { fuzz } from './fuzz.mjs';
import { capture, log, main, root } from './run.mjs';
import { setup } from './setup.mjs';

function nodeTestFiles(dir) {
  const full = path.join(root, 'tests', dir);
  return readdirSync(full)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => path.join('tests', dir, f));
}

function count(out, re) {
  const m = out.match(re);
  return m ? Number(m[1]) : 0;
}

const SUITES = {
  async format() {
    // one check: every tracked C++ and JS file is as clang-format and prettier write it
    const { code, out } = await capture(process.execPath, [path.join(root, 'scripts/format.mjs'), '--check']);
    const files = [...out.matchAll(/^\[format\] (\S+): (\d+) of (\d+) files/gm)]
      .map((m) => `${m[1]} ${m[3]}`)
      .join(', ');
    return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, code, note: `${files} files checked` };
  },
  async native() {
    const { code, out } = await capture('ctest', ['--test-dir', 'build/native', '--output-on-failure', '-j', '2']);
    const total = count(out, /tests failed out of (\d+)/);
    const failed = count(out, /(\d+) tests failed out of/);
    return { passed: total - failed, failed: failed || (code !== 0 && total === 0 ? 1 : 0), code };
  },
  async wasm() {
    const { code, out } = await capture('ctest', ['--test-dir', 'build/wasm', '--output-on-failure', '-V']);
    // one ctest entry per engine (SIMD128, relaxed SIMD) runs the whole GoogleTest binary: count
    // the cases of both
    const sum = (re) => [...out.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);
    const passed = sum(/\[ {2}PASSED {2}\] (\d+) test/g);
    const failed = sum(/\[ {2}FAILED {2}\] (\d+) test/g);
    return { passed, failed: failed || (code !== 0 ? 1 : 0), code };
  },
  async node() {
    return nodeTest(nodeTestFiles('node'));
  },
  async property() {
    const r = await nodeTest(nodeTestFiles('property'));
    // each property prints "# cases <name>: N" and the refusals "# inputs refused: N" (TAP diagnostics)
    const cases = [...r.out.matchAll(/^\s*# cases [^:]+: (\d+)$/gm)].reduce((a, m) => a + Number(m[1]), 0);
    const refused = count(r.out, /^\s*# inputs refused: (\d+)/m);
    process.stdout.write(`property: ${cases} cases tried, ${refused} hostile inputs refused\n`);
    return r;
  },
  async browser() {
    return nodeTest(nodeTestFiles('browser'));
  },
  async sanitize() {
    const { code, out } = await capture('ctest', ['--test-dir', 'build/sanitize', '--output-on-failure', '-j', '2'], {
      env: { ...process.env, ...SANITIZER_ENV },
    });
    const total = count(out, /tests failed out of (\d+)/);
    const failed = count(out, /(\d+) tests failed out of/);
    const reports = (out.match(/ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/g) ?? []).length;
    process.stdout.write(`sanitize: ${total} tests under ASan + UBSan, ${reports} sanitizer reports\n`);
    return {
      passed: total - failed,
      failed: failed || (code !== 0 || reports > 0 || total === 0 ? 1 : 0),
      code,
      note: `${reports} sanitizer reports`,
    };
  },
  async fuzz() {
    // one "test" per target: passed when it ran its time without a crash
    const { executions, crashes, targets } = await fuzz({ seconds: 30, scratch: true });
    return {
      passed: targets.length - crashes,
      failed: crashes,
      code: crashes ? 1 : 0,
      note: `${executions} executions, ${crashes} crashes`,
    };
  },
};

async function nodeTest(files) {
  const { code, out } = await capture(process.execPath, ['--test', '--test-reporter=tap', ...files]);
  const passed = count(out, /^# pass (\d+)/m);
  const failed = count(out, /^# fail (\d+)/m);
  return { passed, failed: failed || (code !== 0 ? 1 : 0), code, out };
}

main(async () => {
  const requested = process.argv.slice(2);
  const names = requested.length ? requested : Object.keys(SUITES);
  for (const n of names)
    if (!SUITES[n]) throw new Error(`test: unknown suite '${n}'; expected ${Object.keys(SUITES).join(', ')}`);
  await setup();
  await build({
    native: names.includes('native'),
    wasmTests: names.includes('wasm'),
    testModules: names.includes('node'),
    sanitize: names.includes('sanitize') || names.includes('fuzz'),
  });
  const results = [];
  for (const name of names) {
    log('test', `suite ${name}`);
    const started = Date.now();
    results.push({ name, ...(await SUITES[name]()), seconds: (Date.now() - started) / 1000 });
  }
  process.stdout.write('\nSummary\n');
  for (const r of results) {
    const note = r.note ? `; ${r.note}` : '';
    process.stdout.write(
      `  ${r.name.padEnd(8)} ${String(r.passed).padStart(5)} passed, ${r.failed} failed  (${r.seconds.toFixed(1)} s${note})\n`,
    );
  }
  const passed = results.reduce((a, r) => a + r.passed, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  if (failed > 0 || results.some((r) => r.code !== 0)) process.exit(1);
});
