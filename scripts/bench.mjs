// `npm run bench`: builds what it needs, then times scaled dot-product attention side by side, in
// one run, and prints one table (median ms, GFLOP/s = 4·H·N²·d / time, noise = IQR / median):
//   this project (SIMD and scalar builds; weights false and true; validLens and causal masks),
//   plain JS loops, @tensorflow/tfjs-backend-wasm (XNNPACK, per head), onnxruntime-web (wasm,
//   a graph built in JS), and the 128-bit multiply + add ceiling of this machine;
// then the ratios against the best peer, the per-call overhead at 8x8, and one long sequence
// (N = 32768) with its WASM memory. Engines are interleaved round by round, in a shuffled order,
// so machine noise hits all of them alike. Everything runs offline on one thread.
//
//   npm run bench [-- --rounds 7] [--sizes a,b,c,d] [--out bench/results/DATE.json] [--no-long]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { build } from './build.mjs';
import { log, main, root, run } from './run.mjs';
import { setup } from './setup.mjs';

// A full collection before every sample, so that no cell pays for the garbage of the one before,
// and a pause for V8's background sweeping. A forced collection also shrinks the young generation,
// which made the next few thousand small calls 40-70% slower (measured), so fast cells then run
// once untimed (the same repetitions) before the timed run.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const collectGarbage = async () => {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 25));
};

const SIZES = { a: { H: 1, N: 64 }, b: { H: 8, N: 256 }, c: { H: 8, N: 1024 }, d: { H: 1, N: 4096 } };
const D = 64;
const flops = ({ H, N }) => 4 * H * N * N * D;

function parseArgs(argv) {
  const o = { rounds: 7, sizes: Object.keys(SIZES), out: null, long: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--sizes') o.sizes = argv[++i].split(',');
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--no-long') o.long = false;
    else throw new Error(`bench: unknown argument '${a}'; see the comment at the top of scripts/bench.mjs`);
  }
  for (const s of o.sizes) if (!SIZES[s]) throw new Error(`bench: unknown size '${s}'; expected a, b, c or d`);
  if (!(o.rounds >= 1)) throw new Error('bench: --rounds must be at least 1');
  return o;
}

// Deterministic inputs in [-1, 1).
function randomArray(n, seed) {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

function shuffled(items, seed) {
  const a = items.slice();
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function quantile(sorted, q) {
  const at = (sorted.length - 1) * q,
    lo = Math.floor(at),
    hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}
function stats(samples) {
  const s = samples.slice().sort((x, y) => x - y);
  const median = quantile(s, 0.5),
    q1 = quantile(s, 0.25),
    q3 = quantile(s, 0.75);
  return { median, q1, q3, noise: (q3 - q1) / median, min: s[0], max: s[s.length - 1], samples };
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (name) => cpuinfo.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
  let emcc = '';
  try {
    emcc = execFileSync('emcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {}
  return {
    cpu: field('model name'),
    cpuFamily: field('cpu family'),
    cpuModel: field('model'),
    nproc: os.cpus().length,
    node: process.version,
    v8: process.versions.v8,
    emcc,
    platform: `${os.type()} ${os.release()}`,
  };
}

const fmt = (x, digits = 3) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(digits));
const pct = (x) => `${(100 * x).toFixed(0)}%`;

async function benchmark(opts) {
  const { attnEngine, poolEngine, jsEngine, tfjsEngine, ortEngine, ceilingEngine } =
    await import('../bench/js/engines.mjs');
  const simd = await attnEngine({ simd: true });
  const engines = {
    'attn-simd': { label: 'attention-playground, SIMD build, weights: false', engine: simd },
    'attn-simd-weights': {
      label: 'attention-playground, SIMD build, weights: true',
      engine: await attnEngine({ simd: true, options: { weights: true } }),
    },
    'attn-scalar': {
      label: 'attention-playground, scalar build, weights: false',
      engine: await attnEngine({ simd: false }),
    },
    'attn-simd-lens': {
      label: 'attention-playground, SIMD, validLens [H] = N - 1',
      sizes: ['b', 'c'],
      engine: await attnEngine({ simd: true, options: ({ H, N }) => ({ validLens: new Array(H).fill(N - 1) }) }),
    },
    'attn-simd-causal': {
      label: 'attention-playground, SIMD, causal',
      sizes: ['b', 'c'],
      engine: await attnEngine({ simd: true, options: { causal: true } }),
    },
    'attn-pool': {
      label: 'attention-playground, SIMD, pool of 2 workers, weights: false',
      sizes: ['c', 'd'],
      engine: await poolEngine({ workers: 2 }),
    },
    js: { label: 'plain JS loops', engine: await jsEngine() },
    tfjs: { label: 'tfjs-backend-wasm (XNNPACK, per head)', engine: await tfjsEngine() },
    ort: { label: 'onnxruntime-web (wasm, graph)', engine: await ortEngine() },
  };
  engines.tfjs.label = `tfjs-backend-wasm ${engines.tfjs.engine.version} (XNNPACK, per head)`;
  engines.ort.label = `onnxruntime-web ${engines.ort.engine.version} (wasm, graph)`;
  const ceiling = await ceilingEngine(path.join(root, 'build/wasm/bench/attn_ceiling.wasm'));

  // inputs, and the reference output every engine is checked against (this project, SIMD)
  const inputs = {};
  for (const s of opts.sizes) {
    const { H, N } = SIZES[s];
    inputs[s] = {
      H,
      N,
      d: D,
      q: randomArray(H * N * D, 1),
      k: randomArray(H * N * D, 2),
      v: randomArray(H * N * D, 3),
    };
  }

  // warm-up: prepare each cell, check its output, calibrate repetitions to ~40 ms per sample
  const cells = [];
  for (const s of opts.sizes) {
    const reference = simd.prepare(inputs[s])();
    for (const [name, e] of Object.entries(engines)) {
      if (e.sizes && !e.sizes.includes(s)) continue;
      log('bench', `warming up ${name} at (${s})`);
      const runner = await e.engine.prepare(inputs[s]);
      let out = await runner();
      // until the JIT has settled: at least 3 calls and 300 ms (or 30 calls)
      let once = Infinity,
        calls = 0;
      for (const started = performance.now(); calls < 3 || (performance.now() - started < 300 && calls < 30); calls++) {
        const t0 = performance.now();
        out = await runner();
        once = performance.now() - t0;
      }
      let diff = 0;
      const masked = name === 'attn-simd-lens' || name === 'attn-simd-causal'; // other results
      if (!masked) for (let i = 0; i < out.length; i++) diff = Math.max(diff, Math.abs(out[i] - reference[i]));
      if (!(diff < 1e-4)) throw new Error(`bench: ${name} at (${s}) differs from attention-playground by ${diff}`);
      const reps = Math.max(1, Math.min(2000, Math.ceil(40 / Math.max(once, 1e-3))));
      cells.push({ name, size: s, runner, reps, maxDiff: diff, samples: [] });
    }
  }
  // the per-call overhead at 8x8 (typed arrays and nested arrays), and the ceiling
  const small = { H: 1, N: 8, d: 8, q: randomArray(64, 4), k: randomArray(64, 5), v: randomArray(64, 6) };
  const T = (x) => ({ data: x, shape: [8, 8] });
  const nested = (x) => Array.from({ length: 8 }, (_, i) => Array.from(x.subarray(i * 8, i * 8 + 8)));
  const typed8 = [T(small.q), T(small.k), T(small.v)],
    nested8 = [nested(small.q), nested(small.k), nested(small.v)];
  const overhead = {
    typed: { run: () => simd.attn.attention(...typed8, { weights: false }), samples: [] },
    nested: { run: () => simd.attn.attention(...nested8, { weights: false }), samples: [] },
  };
  for (const o of Object.values(overhead)) for (let i = 0; i < 20000; i++) o.run();
  const ceilingSamples = [];

  const loadBefore = os.loadavg();
  const started = Date.now();
  for (let round = 0; round < opts.rounds; round++) {
    log('bench', `round ${round + 1} of ${opts.rounds}`);
    const order = shuffled(
      [...cells.map((c) => ({ cell: c })), { ceiling: true }, { overhead: 'typed' }, { overhead: 'nested' }],
      round + 1,
    );
    for (const item of order) {
      await collectGarbage();
      if (item.ceiling) {
        ceilingSamples.push(ceiling.measure());
      } else if (item.overhead) {
        const o = overhead[item.overhead],
          n = 5000;
        for (let i = 0; i < n; i++) o.run();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) o.run();
        o.samples.push(((performance.now() - t0) / n) * 1000); // µs per call
      } else {
        const { cell } = item;
        if (cell.reps > 1) for (let i = 0; i < cell.reps; i++) await cell.runner();
        const t0 = performance.now();
        for (let i = 0; i < cell.reps; i++) await cell.runner();
        cell.samples.push((performance.now() - t0) / cell.reps);
      }
    }
  }
  const loadAfter = os.loadavg();

  const results = {};
  for (const c of cells) {
    const st = stats(c.samples);
    (results[c.name] ??= {})[c.size] = {
      ...st,
      gflops: flops(SIZES[c.size]) / (st.median * 1e6),
      reps: c.reps,
      maxDiff: c.maxDiff,
    };
  }
  const ceilingBest = stats(ceilingSamples.map((s) => s.best));
  ceilingBest.bestRound = Math.max(...ceilingSamples.map((s) => s.best));
  return {
    engines: Object.fromEntries(Object.entries(engines).map(([k, e]) => [k, e.label])),
    results,
    ceiling: { gflops: ceilingBest, byCount: ceilingSamples.map((s) => s.byCount) },
    overhead: Object.fromEntries(Object.entries(overhead).map(([k, o]) => [k, stats(o.samples)])),
    load: { before: loadBefore, after: loadAfter },
    seconds: (Date.now() - started) / 1000,
  };
}

function summarise(r, sizes) {
  const med = (e, s) => r.results[e]?.[s]?.median;
  const out = { perSize: {}, targets: [] };
  const ceiling = r.ceiling.gflops.median;
  for (const s of sizes) {
    const ours = med('attn-simd', s),
      tfjs = med('tfjs', s),
      ort = med('ort', s);
    const best = Math.min(tfjs, ort);
    out.perSize[s] = {
      bestPeer: tfjs <= ort ? 'tfjs' : 'ort',
      speedupVsBestPeer: best / ours,
      speedupVsTfjs: tfjs / ours,
      speedupVsOrt: ort / ours,
      ceilingFraction: r.results['attn-simd'][s].gflops / ceiling,
      simdVsScalar: med('attn-scalar', s) / ours,
      weightsTrueVsFalse: med('attn-simd-weights', s) / ours,
      lensVsNone: med('attn-simd-lens', s) && med('attn-simd-lens', s) / ours,
      causalVsNone: med('attn-simd-causal', s) && med('attn-simd-causal', s) / ours,
      jsVsOurs: med('js', s) / ours,
      poolVsOne: med('attn-pool', s) && ours / med('attn-pool', s),
    };
  }
  const t = (name, ok, detail) => out.targets.push({ name, met: ok, detail });
  const heavy = sizes.filter((s) => s !== 'a');
  for (const s of sizes) {
    const p = out.perSize[s];
    t(
      `(${s}) >= 1.5x the faster of tfjs-wasm and onnxruntime-web`,
      p.speedupVsBestPeer >= 1.5,
      `${p.speedupVsBestPeer.toFixed(2)}x vs ${p.bestPeer}`,
    );
  }
  for (const s of heavy) {
    const p = out.perSize[s];
    t(
      `(${s}) >= 70% of the multiply + add ceiling`,
      p.ceilingFraction >= 0.7,
      `${pct(p.ceilingFraction)} of ${fmt(ceiling)} GFLOP/s`,
    );
  }
  if (sizes.includes('b')) {
    const p = out.perSize.b;
    t('(b) weights: true <= 1.3x weights: false', p.weightsTrueVsFalse <= 1.3, `${p.weightsTrueVsFalse.toFixed(2)}x`);
  }
  for (const s of heavy) {
    const p = out.perSize[s];
    t(`(${s}) SIMD >= 3.5x scalar`, p.simdVsScalar >= 3.5, `${p.simdVsScalar.toFixed(1)}x`);
  }
  for (const s of sizes.filter((x) => x === 'b' || x === 'c')) {
    const p = out.perSize[s];
    t(`(${s}) validLens costs <= 10%`, p.lensVsNone <= 1.1, `${((p.lensVsNone - 1) * 100).toFixed(1)}%`);
    t(`(${s}) causal is faster than no mask`, p.causalVsNone < 1, `${p.causalVsNone.toFixed(2)}x the time`);
  }
  for (const s of sizes.filter((x) => x === 'c' || x === 'd')) {
    const p = out.perSize[s];
    t(`(${s}) a pool of 2 workers >= 1.7x one thread (issue 13)`, p.poolVsOne >= 1.7, `${p.poolVsOne.toFixed(2)}x`);
  }
  const o = r.overhead.typed.median;
  t(
    'per-call overhead at 8x8 < 10 us + copy',
    o < 10,
    `${o.toFixed(1)} us per call (typed arrays; the copies are 1 KiB)`,
  );
  return out;
}

function print(r, summary, sizes, long) {
  const lines = [];
  const head = ['engine', ...sizes.map((s) => `(${s}) H=${SIZES[s].H}, N=${SIZES[s].N}`)];
  const rows = Object.entries(r.engines).map(([key, label]) => [
    label,
    ...sizes.map((s) => {
      const c = r.results[key]?.[s];
      return c ? `${fmt(c.median)} ms, ${fmt(c.gflops)} GF/s ±${pct(c.noise / 2)}` : '';
    }),
  ]);
  rows.push([
    `128-bit mul+add ceiling (best of ${Object.keys(r.ceiling.byCount[0]).join('/')} chains per round)`,
    ...sizes.map(() => `${fmt(r.ceiling.gflops.median)} GF/s ±${pct(r.ceiling.gflops.noise / 2)}`),
  ]);
  const ratio = (label, f) => rows.push([label, ...sizes.map((s) => f(summary.perSize[s]) ?? '')]);
  ratio('speedup vs the faster peer', (p) => `${p.speedupVsBestPeer.toFixed(2)}x (vs ${p.bestPeer})`);
  ratio('share of the ceiling', (p) => pct(p.ceilingFraction));
  ratio('SIMD / scalar build', (p) => `${p.simdVsScalar.toFixed(1)}x`);
  ratio('weights: true / weights: false', (p) => `${p.weightsTrueVsFalse.toFixed(2)}x`);
  ratio('pool of 2 workers / one thread', (p) => (p.poolVsOne ? `${p.poolVsOne.toFixed(2)}x` : ''));
  ratio('validLens / causal vs no mask', (p) =>
    p.lensVsNone ? `${p.lensVsNone.toFixed(2)}x / ${p.causalVsNone.toFixed(2)}x` : '',
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  lines.push(line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line));
  lines.push('');
  lines.push(
    `noise: ± half the interquartile range over ${r.results['attn-simd'][sizes[0]].samples.length} interleaved rounds, as a share of the median`,
  );
  lines.push(
    `ceiling: median ${fmt(r.ceiling.gflops.median)} GF/s over the rounds (shares above use it), best round ${fmt(r.ceiling.gflops.bestRound)} GF/s`,
  );
  const o = r.overhead;
  lines.push(
    `per-call overhead at 8x8 (q, k, v [8, 8], weights: false): ${o.typed.median.toFixed(2)} us with typed arrays, ${o.nested.median.toFixed(2)} us with nested arrays (±${pct(o.typed.noise / 2)})`,
  );
  if (long) {
    lines.push(
      `long sequence: N = ${long.N}, d = ${long.d}, one head, weights: false: ${(long.ms / 1000).toFixed(2)} s (${fmt(long.gflops)} GF/s), WASM memory ${(long.heapBytes / 2 ** 20).toFixed(0)} MiB (${(long.allocatedBytes / 2 ** 20).toFixed(1)} MiB allocated after the call)`,
    );
  }
  lines.push(
    `load average before / after: ${r.load.before.map((x) => x.toFixed(2)).join(' ')} / ${r.load.after.map((x) => x.toFixed(2)).join(' ')}; ${r.seconds.toFixed(0)} s of rounds`,
  );
  lines.push('');
  lines.push('targets (issue 5):');
  for (const t of summary.targets) lines.push(`  ${t.met ? 'met    ' : 'NOT MET'}  ${t.name}: ${t.detail}`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

main(async () => {
  const opts = parseArgs(process.argv.slice(2));
  await setup({ parts: ['build'] });
  await build({ native: false, wasmTests: false });
  await run('cmake', ['--build', 'build/wasm', '--target', 'attn_ceiling'], { stage: 'build' });

  const date = new Date().toISOString().slice(0, 10);
  const r = await benchmark(opts);
  let long = null;
  if (opts.long) {
    log('bench', 'long sequence: N = 32768, d = 64, one head, in a fresh process');
    const p = spawnSync(process.execPath, [path.join(root, 'bench/js/long.mjs'), '32768', '64'], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`bench: the long sequence failed:\n${p.stderr}`);
    long = JSON.parse(p.stdout);
  }
  const summary = summarise(r, opts.sizes);
  print(r, summary, opts.sizes, long);
  const json = {
    date,
    machine: machine(),
    commit: gitCommit(),
    options: opts,
    sizes: SIZES,
    d: D,
    ...r,
    long,
    summary,
  };
  const out = path.resolve(root, opts.out ?? 'build/bench/last.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(json, null, 1)}\n`);
  log('bench', `raw results: ${path.relative(root, out)}`);
});

function gitCommit() {
  const p = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout.trim() !== '';
  return p.status === 0 ? `${p.stdout.trim()}${dirty ? '+local changes' : ''}` : null;
}
