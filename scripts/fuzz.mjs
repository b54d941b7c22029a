// Fuzzing with libFuzzer (tests/fuzz/fuzz_api.cpp, built in build/sanitize under ASan + UBSan), on
// three targets: the SIMD kernels (SSE2 lanes natively), the same with a fused multiply-add (FMA3:
// the relaxed-SIMD build's arithmetic; needs an x86-64 CPU with FMA) and the scalar reference kernels.
//
//   npm run fuzz                      each target for FUZZ_SECONDS (default 300) seconds
//   npm run fuzz -- --seconds 60      the same, for 60 seconds each
//   npm run fuzz -- --merge           minimise tests/fuzz/corpus plus everything the runs found into
//                                     tests/fuzz/corpus (commit it when it has grown usefully)
//   npm run fuzz -- FILE...           replay inputs, e.g. a crash artifact, with the full report
//
// Each run replays the committed corpus first and then adds what it finds to a working corpus:
// `npm run fuzz` keeps build/sanitize/fuzz-corpus/<target>/ from run to run; `npm test` (its `fuzz`
// suite, 30 s per target) starts from a fresh scratch one it discards, so it fuzzes the same amount
// however often it has run. libFuzzer writes only into the first corpus folder it is given, the
// working one: the committed corpus is never modified by a run.
// A crash leaves build/sanitize/fuzz-artifacts/<target>-crash-* and is reported with the command
// that replays it. FUZZ_SEED picks libFuzzer's seed (default 1; 0 = random).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSanitize, SANITIZER_ENV } from './build.mjs';
import { log, main, root } from './run.mjs';
import { setup } from './setup.mjs';

export const TARGETS = ['fuzz_api_simd', 'fuzz_api_relaxed', 'fuzz_api_scalar'];
const BUILD = path.join(root, 'build', 'sanitize');
const CORPUS = path.join(root, 'tests', 'fuzz', 'corpus');

// -malloc_limit_mb=64: one allocation over 2^24 floats (64 MiB, the size limit) is a crash.
const LIMITS = ['-malloc_limit_mb=64', '-rss_limit_mb=2048', '-timeout=20'];

function runQuiet(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, ...SANITIZER_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', (e) => resolve({ code: 127, out: `cannot start ${cmd}: ${e.message}` }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

const stat = (out, name) => Number(out.match(new RegExp(`stat::${name}:\\s+(\\d+)`))?.[1] ?? 0);

/**
 * Runs every target for `seconds`, starting from the committed corpus.
 * @param {{ seconds: number, seed?: number, scratch?: boolean }} options scratch: a fresh, discarded
 *   working corpus instead of the persistent one
 * @returns {Promise<{ executions: number, crashes: number, targets: object[] }>}
 */
export async function fuzz({ seconds, seed = Number(process.env.FUZZ_SEED ?? 1), scratch = false }) {
  const targets = [];
  for (const target of TARGETS) {
    const binary = path.join(BUILD, target);
    const work = path.join(BUILD, scratch ? 'fuzz-scratch' : 'fuzz-corpus', target);
    const artifacts = path.join(BUILD, 'fuzz-artifacts');
    if (scratch) rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    mkdirSync(artifacts, { recursive: true });
    const args = [
      `-max_total_time=${seconds}`,
      `-seed=${seed}`,
      ...LIMITS,
      '-print_final_stats=1',
      `-artifact_prefix=${artifacts}${path.sep}${target}-`,
      work,
      CORPUS,
    ];
    const started = Date.now();
    const { code, out } = await runQuiet(binary, args);
    const elapsed = Math.round((Date.now() - started) / 1000);
    const executions = stat(out, 'number_of_executed_units');
    const crashed = code !== 0 || executions === 0;
    const artifact = out.match(/Test unit written to (\S+)/)?.[1];
    const seeds = readdirSync(CORPUS).length;
    log(
      'fuzz',
      `${target}: ${executions} executions in ${elapsed} s (seed ${seed}, ${seeds} corpus inputs replayed first), ` +
        `${crashed ? 'CRASHED' : '0 crashes'}`,
    );
    if (crashed) {
      process.stdout.write(`${out.split('\n').slice(-60).join('\n')}\n`);
      if (artifact) log('fuzz', `replay: npm run fuzz -- ${path.relative(root, artifact)}`);
    }
    targets.push({ target, executions, crashed, artifact });
  }
  if (scratch) rmSync(path.join(BUILD, 'fuzz-scratch'), { recursive: true, force: true });
  const executions = targets.reduce((a, t) => a + t.executions, 0);
  const crashes = targets.filter((t) => t.crashed).length;
  process.stdout.write(`fuzz: ${executions} executions, ${crashes} crashes\n`);
  return { executions, crashes, targets };
}

/**
 * Minimises the committed corpus plus every working corpus into tests/fuzz/corpus: the fewest inputs
 * that reach every edge either target reaches (edges only, not hit counts, so it stays small).
 */
async function merge() {
  const fresh = path.join(BUILD, 'fuzz-merge');
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  const sources = [CORPUS, ...TARGETS.map((t) => path.join(BUILD, 'fuzz-corpus', t))].filter(existsSync);
  for (const target of TARGETS) {
    const { code, out } = await runQuiet(path.join(BUILD, target), [
      '-merge=1',
      '-use_counters=0',
      ...LIMITS,
      fresh,
      ...sources,
    ]);
    if (code !== 0) throw new Error(`fuzz: merging with ${target} failed:\n${out.split('\n').slice(-30).join('\n')}`);
  }
  rmSync(CORPUS, { recursive: true, force: true });
  renameSync(fresh, CORPUS);
  log('fuzz', `tests/fuzz/corpus now holds ${readdirSync(CORPUS).length} inputs`);
}

async function replay(files) {
  let failed = 0;
  for (const target of TARGETS) {
    const { code, out } = await runQuiet(path.join(BUILD, target), [...LIMITS, ...files]);
    process.stdout.write(out);
    if (code !== 0) failed++;
  }
  if (failed) throw new Error(`fuzz: ${failed} target(s) crashed on the given inputs`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    const args = process.argv.slice(2);
    await setup();
    await buildSanitize();
    if (args[0] === '--merge') return merge();
    if (args.length && !args[0].startsWith('--')) return replay(args);
    const i = args.indexOf('--seconds');
    const seconds = i >= 0 ? Number(args[i + 1]) : Number(process.env.FUZZ_SECONDS ?? 300);
    if (!(seconds > 0)) throw new Error('fuzz: --seconds needs a positive number');
    const { crashes } = await fuzz({ seconds });
    if (crashes) process.exit(1);
  });
}
