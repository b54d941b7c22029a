// `npm run bench`: builds what it needs, then times scaled dot-product attention side by side, in
// one run, and prints one table (median ms, GFLOP/s = 4·H·N²·d / time, noise = IQR / median):
//   this project (relaxed-SIMD, SIMD128 and scalar builds; weights false and true; validLens and
//   causal masks), plain JS loops, @tensorflow/tfjs-backend-wasm (XNNPACK, per head),
//   onnxruntime-web (wasm, a graph built in JS), and the 128-bit ceilings of this machine
//   (multiply + add, and relaxed multiply-add); at (c) and (d) the worker pool, beside two workers
//   that hold their halves of the inputs already (bench/js/halves.mjs: what any pool can reach on
//   this machine at that moment);
// then the ratios against the best peer and the ceilings, the per-call overhead at 8x8, one long
// sequence (N = 32768) with its WASM memory, and a met / NOT MET line per target of issue 13 for
// this CPU's family (Intel or AMD Zen 4). Engines are interleaved round by round, in a shuffled
// order (bench/js/rounds.mjs), so machine noise hits all of them alike. Everything runs offline on
// one thread.
//
//   npm run bench [-- --rounds 7] [--sizes a,b,c,d] [--out bench/results/DATE.json] [--no-long]
//   npm run bench -- --browser     the same table measured in headless Chromium (bench/browser/)
//   npm run bench -- --kernels     the WASM kernel micro-bench (bench/js/kernels.mjs)
//   --fastest                      also the table and targets from each cell's fastest sample
//   --from FILE [--fastest]        print a stored run again
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { pathToFileURL } from 'node:url';
import { makeEngines } from '../bench/js/engines.mjs';
import { halvesEngine } from '../bench/js/halves.mjs';
import { ceilingEngine, D, flops, runRounds, SIZES } from '../bench/js/rounds.mjs';
import { build } from './build.mjs';
import { log, main, root, run } from './run.mjs';
import { setup } from './setup.mjs';

// Node 20 runs relaxed SIMD behind a flag (Chromium by default); set before any module compiles.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
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

function parseArgs(argv) {
  const o = {
    rounds: 7,
    sizes: Object.keys(SIZES),
    out: null,
    long: true,
    browser: false,
    kernels: false,
    fastest: false,
    from: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--sizes') o.sizes = argv[++i].split(',');
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--no-long') o.long = false;
    else if (a === '--browser') o.browser = true;
    else if (a === '--kernels') o.kernels = true;
    else if (a === '--fastest') o.fastest = true;
    else if (a === '--from') o.from = argv[++i];
    else throw new Error(`bench: unknown argument '${a}'; see the comment at the top of scripts/bench.mjs`);
  }
  for (const s of o.sizes) if (!SIZES[s]) throw new Error(`bench: unknown size '${s}'; expected a, b, c or d`);
  if (!(o.rounds >= 1)) throw new Error('bench: --rounds must be at least 1');
  return o;
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
    vendor: field('vendor_id'),
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
  const { relaxedSimdSupported } = await import('../web/lib/index.js');
  const relaxed = relaxedSimdSupported();
  const made = await makeEngines({ relaxed, pool: true });
  const { overhead, best } = made;
  // the row after the pool's (Node only, like it): two workers with their halves already in place
  const halves = {
    label: `${relaxed ? 'relaxed SIMD' : 'SIMD128'}, 2 workers, each with its half of q, k, v already in place (the pool's reach)`,
    sizes: ['c', 'd'],
    engine: await halvesEngine({ isa: best }),
  };
  const engines = {};
  for (const [name, e] of Object.entries(made.engines)) {
    engines[name] = e;
    if (name === 'attn-pool') engines['attn-halves'] = halves;
  }
  const ceilings = {
    muladd: await ceilingEngine(readFileSync(path.join(root, 'build/wasm/bench/attn_ceiling.wasm'))),
  };
  if (relaxed) {
    ceilings.madd = await ceilingEngine(readFileSync(path.join(root, 'build/wasm/bench/attn_ceiling_relaxed.wasm')));
  }
  const loadBefore = os.loadavg();
  const r = await runRounds({
    engines,
    reference: 'attn-simd',
    ceilings,
    overhead,
    sizes: opts.sizes,
    rounds: opts.rounds,
    collectGarbage,
    log: (m) => log('bench', m),
  });
  return {
    runtime: `Node ${process.version} (V8 ${process.versions.v8})`,
    ...r,
    load: { before: loadBefore, after: os.loadavg() },
  };
}

// Which targets of issue 13 apply: Intel (multiply and add share two ports, so FMA doubles the
// ceiling) or AMD Zen 4 (separate pipes: multiply + add already reaches the FMA peak).
export function cpuFamily({ vendor, cpuFamily }) {
  if (vendor === 'AuthenticAMD' && Number(cpuFamily) >= 25) return 'amd';
  if (vendor === 'GenuineIntel') return 'intel';
  return 'other';
}

export function summarise(r, sizes, family) {
  const med = (e, s) => r.results[e]?.[s]?.median;
  const relaxed = Boolean(r.results['attn-relaxed']);
  const best = relaxed ? 'attn-relaxed' : 'attn-simd';
  const ceiling = { muladd: r.ceilings.muladd.gflops.median, madd: r.ceilings.madd?.gflops.median };
  const out = { family, perSize: {}, targets: [] };
  for (const s of sizes) {
    const tfjs = med('tfjs', s),
      ort = med('ort', s);
    const peer = Math.min(tfjs, ort);
    const build = (e, c) => med(e, s) && { speedup: peer / med(e, s), ceilingFraction: r.results[e][s].gflops / c };
    out.perSize[s] = {
      bestPeer: tfjs <= ort ? 'tfjs' : 'ort',
      relaxed: relaxed ? build('attn-relaxed', ceiling.madd) : null,
      simd128: build('attn-simd', ceiling.muladd),
      bestVsScalar: med('attn-scalar', s) / med(best, s),
      relaxedVsSimd128: relaxed ? med('attn-simd', s) / med('attn-relaxed', s) : null,
      weightsTrueVsFalse: med('attn-best-weights', s) / med(best, s),
      lensVsNone: med('attn-best-lens', s) && med('attn-best-lens', s) / med(best, s),
      causalVsNone: med('attn-best-causal', s) && med('attn-best-causal', s) / med(best, s),
      simd128CausalVsNone: med('attn-simd-causal', s) && med('attn-simd-causal', s) / med('attn-simd', s),
      poolVsOne: med('attn-pool', s) && med(best, s) / med('attn-pool', s),
      halvesVsOne: med('attn-halves', s) && med(best, s) / med('attn-halves', s),
    };
  }
  const t = (name, ok, detail) => out.targets.push({ name, met: ok, detail });
  const heavy = sizes.filter((s) => s !== 'a');
  const intelLike = family !== 'amd';
  // [build key in perSize, its engine, label, speedup asked, share asked of the ceiling named]
  const builds = intelLike
    ? [
        ['relaxed', 'attn-relaxed', 'relaxed SIMD', 2, 0.75, 'madd'],
        ['simd128', 'attn-simd', 'SIMD128', 1.5, 0.75, 'muladd'],
      ]
    : // on Zen 4 multiply + add already reaches the FMA peak: both builds against that ceiling
      [
        ['relaxed', 'attn-relaxed', 'relaxed SIMD', 1.6, 0.88, 'muladd'],
        ['simd128', 'attn-simd', 'SIMD128', 1.6, 0.88, 'muladd'],
      ];
  const CEILING = { madd: 'relaxed-madd', muladd: 'multiply + add' };
  for (const [key, engine, label, speedup, share, c] of builds) {
    if (key === 'relaxed' && !relaxed) {
      t(`${label}: the build runs here`, false, 'relaxed SIMD does not validate in this JavaScript engine');
      continue;
    }
    for (const s of sizes) {
      const p = out.perSize[s];
      t(
        `(${s}) ${label} >= ${speedup}x the faster of tfjs-wasm and onnxruntime-web`,
        p[key].speedup >= speedup,
        `${p[key].speedup.toFixed(2)}x vs ${p.bestPeer}`,
      );
    }
    for (const s of heavy) {
      const got = r.results[engine][s].gflops / ceiling[c];
      t(
        `(${s}) ${label} >= ${pct(share)} of the ${CEILING[c]} ceiling`,
        got >= share,
        `${pct(got)} of ${fmt(ceiling[c])} GFLOP/s`,
      );
    }
  }
  for (const s of sizes.filter((x) => x === 'b' || x === 'c')) {
    const p = out.perSize[s];
    t(`(${s}) causal <= 0.6x the unmasked time`, p.causalVsNone <= 0.6, `${p.causalVsNone.toFixed(2)}x`);
  }
  for (const s of sizes.filter((x) => x === 'c' || x === 'd')) {
    const p = out.perSize[s];
    if (!p.poolVsOne) continue; // the browser bench has no pool row
    t(
      `(${s}) a pool of 2 workers >= 1.7x one thread (issue 13)`,
      p.poolVsOne >= 1.7,
      `${p.poolVsOne.toFixed(2)}x` +
        (p.halvesVsOne ? ` (2 workers with their halves already in place: ${p.halvesVsOne.toFixed(2)}x)` : ''),
    );
  }
  const o = r.overhead.typed.median;
  t('per-call overhead at 8x8 < 10 us', o < 10, `${o.toFixed(1)} us per call (typed arrays; the copies are 1 KiB)`);
  return out;
}

/**
 * The run seen through the fastest sample of every cell, the best ceiling round and the fastest
 * 8x8 sample: on a machine shared with other builds interference only ever adds time, so where the
 * medians are noisy (± tens of %), this is the closer estimate of what the code does.
 */
export function fastestView(r) {
  const results = {};
  for (const [e, bySize] of Object.entries(r.results)) {
    results[e] = {};
    for (const [s, c] of Object.entries(bySize)) {
      results[e][s] = { ...c, median: c.min, gflops: flops(SIZES[s]) / (c.min * 1e6) };
    }
  }
  const ceilings = Object.fromEntries(
    Object.entries(r.ceilings).map(([k, c]) => [k, { ...c, gflops: { ...c.gflops, median: c.gflops.bestRound } }]),
  );
  const fastest = (byKey) => Object.fromEntries(Object.entries(byKey).map(([k, o]) => [k, { ...o, median: o.min }]));
  const overhead = fastest(r.overhead);
  return { ...r, results, ceilings, overhead, alloc: r.alloc && fastest(r.alloc), view: 'fastest' };
}

const FAMILY = {
  intel: 'Intel: relaxed SIMD 2x / SIMD128 1.5x the faster peer, 75% of the applicable ceiling',
  amd: 'AMD Zen 4: 1.6x the faster peer, 88% of the ceiling',
  other: 'neither Intel nor AMD Zen 4: the Intel targets',
};

export function print(r, summary, sizes, machineInfo, long) {
  const lines = [];
  const head = ['engine', ...sizes.map((s) => `(${s}) H=${SIZES[s].H}, N=${SIZES[s].N}`)];
  const rows = Object.entries(r.engines).map(([key, label]) => [
    label,
    ...sizes.map((s) => {
      const c = r.results[key]?.[s];
      return c ? `${fmt(c.median)} ms, ${fmt(c.gflops)} GF/s ±${pct(c.noise / 2)}` : '';
    }),
  ]);
  const ceilingRow = (k, label) => {
    const c = r.ceilings[k];
    if (!c) return;
    rows.push([
      `${label} (best of ${Object.keys(c.byCount[0]).join('/')} chains per round)`,
      ...sizes.map(() => `${fmt(c.gflops.median)} GF/s ±${pct(c.gflops.noise / 2)}`),
    ]);
  };
  ceilingRow('muladd', '128-bit mul+add ceiling');
  ceilingRow('madd', '128-bit relaxed-madd ceiling');
  // a row with nothing in it (the pool's in the browser bench) is left out
  const ratio = (label, f) => {
    const cells = sizes.map((s) => f(summary.perSize[s]) ?? '');
    if (cells.some((c) => c !== '')) rows.push([label, ...cells]);
  };
  if (summary.perSize[sizes[0]].relaxed) {
    ratio('relaxed SIMD: speedup vs the faster peer', (p) => `${p.relaxed.speedup.toFixed(2)}x (vs ${p.bestPeer})`);
    ratio('relaxed SIMD: share of the relaxed-madd ceiling', (p) => pct(p.relaxed.ceilingFraction));
    ratio('relaxed SIMD / SIMD128 speed', (p) => `${p.relaxedVsSimd128.toFixed(2)}x`);
  }
  ratio('SIMD128: speedup vs the faster peer', (p) => `${p.simd128.speedup.toFixed(2)}x (vs ${p.bestPeer})`);
  ratio('SIMD128: share of the mul+add ceiling', (p) => pct(p.simd128.ceilingFraction));
  ratio('fastest build / scalar build', (p) => `${p.bestVsScalar.toFixed(1)}x`);
  ratio('weights: true / weights: false', (p) => `${p.weightsTrueVsFalse.toFixed(2)}x`);
  ratio('pool of 2 workers / one thread', (p) => (p.poolVsOne ? `${p.poolVsOne.toFixed(2)}x` : ''));
  ratio('2 workers, halves in place / one thread', (p) => (p.halvesVsOne ? `${p.halvesVsOne.toFixed(2)}x` : ''));
  ratio('validLens / causal vs no mask', (p) =>
    p.lensVsNone ? `${p.lensVsNone.toFixed(2)}x / ${p.causalVsNone.toFixed(2)}x` : '',
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  lines.push(
    `CPU: ${machineInfo.cpu} (${machineInfo.vendor}, family ${machineInfo.cpuFamily} model ${machineInfo.cpuModel}), ${machineInfo.nproc} logical CPUs; ${r.runtime}`,
  );
  lines.push(line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line));
  lines.push('');
  const rounds = r.results['attn-simd'][sizes[0]].samples.length;
  lines.push(
    r.view === 'fastest'
      ? `the fastest sample of each cell over ${rounds} interleaved rounds (the best round of the ceilings), not the medians; ± is still the medians' noise`
      : `medians over ${rounds} interleaved rounds; noise: ± half the interquartile range, as a share of the median`,
  );
  for (const [k, c] of Object.entries(r.ceilings))
    lines.push(
      `${k === 'madd' ? 'relaxed-madd' : 'mul+add'} ceiling: median ${fmt(c.gflops.median)} GF/s over the rounds (shares above use it), best round ${fmt(c.gflops.bestRound)} GF/s`,
    );
  const o = r.overhead;
  lines.push(
    `per-call overhead at 8x8 (q, k, v [8, 8], weights: false, ${summary.perSize[sizes[0]].relaxed ? 'relaxed SIMD' : 'SIMD128'}): ${o.typed.median.toFixed(2)} us with typed arrays, ${o.nested.median.toFixed(2)} us with nested arrays (±${pct(o.typed.noise / 2)})`,
  );
  if (r.alloc) {
    lines.push(
      `a result copied into a fresh Float32Array in this runtime (each call's output leaves WASM memory so): ${Object.entries(
        r.alloc,
      )
        .map(([k, a]) => `${a.median.toFixed(2)} us at ${k}`)
        .join(', ')} (the output at (a), at (b))`,
    );
  }
  if (long) {
    lines.push(
      `long sequence: N = ${long.N}, d = ${long.d}, one head, weights: false: ${(long.ms / 1000).toFixed(2)} s (${fmt(long.gflops)} GF/s), WASM memory ${(long.heapBytes / 2 ** 20).toFixed(0)} MiB (${(long.allocatedBytes / 2 ** 20).toFixed(1)} MiB allocated after the call)`,
    );
  }
  lines.push(
    `load average before / after: ${r.load.before.map((x) => x.toFixed(2)).join(' ')} / ${r.load.after.map((x) => x.toFixed(2)).join(' ')}; ${r.seconds.toFixed(0)} s of rounds`,
  );
  lines.push('');
  lines.push(`targets (issue 13) for this CPU family: ${FAMILY[summary.family]}`);
  for (const t of summary.targets) lines.push(`  ${t.met ? 'met    ' : 'NOT MET'}  ${t.name}: ${t.detail}`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(async () => {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.from) {
      // a stored run, printed again (medians, and with --fastest the fastest samples too)
      const stored = JSON.parse(readFileSync(path.resolve(root, opts.from), 'utf8'));
      const sizes = stored.options.sizes;
      for (const view of opts.fastest ? [stored, fastestView(stored)] : [stored])
        print(view, summarise(view, sizes, cpuFamily(stored.machine)), sizes, stored.machine, stored.long);
      return;
    }
    await setup({ parts: opts.browser ? ['build', 'test'] : ['build'] });
    await build({
      native: false,
      wasmTests: false,
      extra: [
        'attn_ceiling',
        'attn_ceiling_relaxed',
        ...(opts.kernels ? ['attn_kernels_bench', 'attn_kernels_bench_relaxed'] : []),
      ],
    });

    const date = new Date().toISOString().slice(0, 10);
    const info = machine();
    if (opts.kernels) {
      const { kernelBench } = await import('../bench/js/kernels.mjs');
      const { relaxedSimdSupported } = await import('../web/lib/index.js');
      const loadBefore = os.loadavg();
      const k = await kernelBench({
        dir: path.join(root, 'build/wasm/bench'),
        relaxed: relaxedSimdSupported(),
        rounds: opts.rounds,
        collectGarbage,
        log: (m) => log('bench', m),
      });
      const load = { before: loadBefore, after: os.loadavg() };
      process.stdout.write(
        `\nCPU: ${info.cpu} (${info.vendor}, family ${info.cpuFamily} model ${info.cpuModel}); Node ${process.version}\n` +
          `the flash kernel alone, one head, d = ${D}, the fastest of ${opts.rounds} interleaved rounds:\n${k.rows.join('\n')}\n` +
          `load average before / after: ${load.before.map((x) => x.toFixed(2)).join(' ')} / ${load.after.map((x) => x.toFixed(2)).join(' ')}\n`,
      );
      const out = path.resolve(root, opts.out ?? 'build/bench/last-kernels.json');
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify({ date, machine: info, commit: gitCommit(), load, ...k.raw }, null, 1)}\n`);
      log('bench', `raw results: ${path.relative(root, out)}`);
      return;
    }
    let r,
      long = null;
    if (opts.browser) {
      const { browserBenchmark } = await import('../bench/browser/run.mjs');
      r = await browserBenchmark(opts);
    } else {
      r = await benchmark(opts);
      if (opts.long) {
        log('bench', 'long sequence: N = 32768, d = 64, one head, in a fresh process');
        const p = spawnSync(
          process.execPath,
          ['--experimental-wasm-relaxed-simd', path.join(root, 'bench/js/long.mjs'), '32768', '64'],
          { encoding: 'utf8' },
        );
        if (p.status !== 0) throw new Error(`bench: the long sequence failed:\n${p.stderr}`);
        long = JSON.parse(p.stdout);
      }
    }
    const summary = summarise(r, opts.sizes, cpuFamily(info));
    print(r, summary, opts.sizes, info, long);
    const fastest = opts.fastest ? summarise(fastestView(r), opts.sizes, cpuFamily(info)) : undefined;
    if (fastest) print(fastestView(r), fastest, opts.sizes, info, long);
    const json = {
      date,
      machine: info,
      commit: gitCommit(),
      options: opts,
      sizes: SIZES,
      d: D,
      ...r,
      long,
      summary,
      fastest,
    };
    const out = path.resolve(root, opts.out ?? `build/bench/last${opts.browser ? '-browser' : ''}.json`);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(json, null, 1)}\n`);
    log('bench', `raw results: ${path.relative(root, out)}`);
  });
}

function gitCommit() {
  const p = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout.trim() !== '';
  return p.status === 0 ? `${p.stdout.trim()}${dirty ? '+local changes' : ''}` : null;
}
