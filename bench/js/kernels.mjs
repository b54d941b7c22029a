// `npm run bench -- --kernels`: the WASM kernel micro-bench (bench/wasm/kernels.cpp). Times the
// flash kernel alone (one head, d = 64, unmasked and causal) and its parts, the 4x8 tile on data in
// L1 and the exp pass, in both SIMD builds and against both ceilings, interleaved round by round,
// and splits the kernel's time into what its matrix products need at the tile's own speed, what
// its exps need, and the rest: the bookkeeping between tiles. Where a CPU loses, this says which.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ceilingEngine, shuffled, stats } from './rounds.mjs';

const D = 64;
const NS = [256, 1024, 4096];

// Whatever a bare module imports (nothing, normally), a no-op.
const anyImports = new Proxy({}, { get: () => new Proxy({}, { get: () => () => 0 }) });

async function kernels(file) {
  const { instance } = await WebAssembly.instantiate(readFileSync(file), anyImports);
  return instance.exports;
}

// ms per call of f(reps), reps chosen for ~10 ms per sample
function timer(f) {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    f(reps);
    const ms = performance.now() - t0;
    if (ms > 5) {
      reps = Math.max(1, Math.round((reps * 10) / ms));
      break;
    }
    reps *= 4;
  }
  return () => {
    const t0 = performance.now();
    f(reps);
    return (performance.now() - t0) / reps;
  };
}

/** Runs the micro-bench; returns { rows (printable), raw }. */
export async function kernelBench({ dir, relaxed, rounds, collectGarbage, log }) {
  const builds = { simd128: await kernels(path.join(dir, 'attn_kernels_bench.wasm')) };
  if (relaxed) builds['relaxed-simd'] = await kernels(path.join(dir, 'attn_kernels_bench_relaxed.wasm'));
  const ceilings = { muladd: await ceilingEngine(readFileSync(path.join(dir, 'attn_ceiling.wasm'))) };
  if (relaxed) ceilings.madd = await ceilingEngine(readFileSync(path.join(dir, 'attn_ceiling_relaxed.wasm')));

  const cells = [];
  for (const [isa, k] of Object.entries(builds)) {
    cells.push({ isa, what: 'tile', run: timer((reps) => k.tile(D, reps)), flops: 64 * D });
    cells.push({ isa, what: 'exp', run: timer((reps) => k.exp_pass(4096, reps)), logits: 4096 });
    for (const n of NS) {
      for (const causal of [0, 1]) {
        log(`warming up flash ${isa} N=${n}${causal ? ' causal' : ''}`);
        for (let i = 0; i < 3; i++) k.flash(n, D, causal, 1);
        cells.push({ isa, what: 'flash', n, causal, run: timer((reps) => k.flash(n, D, causal, reps)) });
      }
    }
  }
  for (const c of cells) c.samples = [];
  const ceilingSamples = Object.fromEntries(Object.keys(ceilings).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    log(`kernels: round ${round + 1} of ${rounds}`);
    for (const item of shuffled([...cells, ...Object.keys(ceilings)], round + 1)) {
      await collectGarbage();
      if (typeof item === 'string') ceilingSamples[item].push(ceilings[item].measure().best);
      else item.samples.push(item.run());
    }
  }
  // The fastest sample of each cell and the best ceiling sample: on a machine shared with other
  // builds, interference only ever adds time, and the medians of a loaded run mixed in whatever
  // else ran (seen: the same N = 4096 kernel at 139 and 306 ms in two runs).
  const ceiling = Object.fromEntries(Object.entries(ceilingSamples).map(([k, s]) => [k, Math.max(...s)]));
  const best = (isa, what, n, causal) =>
    stats(cells.find((c) => c.isa === isa && c.what === what && c.n === n && c.causal === causal).samples).min;

  const rows = [];
  const raw = { ceiling, builds: {} };
  for (const isa of Object.keys(builds)) {
    const c = isa === 'relaxed-simd' ? ceiling.madd : ceiling.muladd;
    const tileGflops = (64 * D) / (best(isa, 'tile') * 1e6);
    const nsPer4 = (best(isa, 'exp') * 1e6) / (4096 / 4);
    rows.push(
      `${isa}: 4x8 tile in L1 ${tileGflops.toFixed(1)} GF/s = ${((100 * tileGflops) / c).toFixed(0)}% of the ` +
        `${isa === 'relaxed-simd' ? 'relaxed-madd' : 'mul+add'} ceiling (${c.toFixed(1)} GF/s); exp pass ${nsPer4.toFixed(2)} ns per 4 logits`,
    );
    raw.builds[isa] = { tileGflops, nsPer4, flash: {} };
    for (const n of NS) {
      const ms = best(isa, 'flash', n, 0),
        causalMs = best(isa, 'flash', n, 1);
      const flops = 4 * n * n * D;
      const gemmMs = flops / (tileGflops * 1e6); // both products at the tile's speed
      const expMs = ((n * n) / 4) * nsPer4 * 1e-6;
      const rest = ms - gemmMs - expMs;
      rows.push(
        `  N = ${String(n).padEnd(4)} ${ms.toFixed(3)} ms (${(flops / (ms * 1e6)).toFixed(1)} GF/s, ${((100 * flops) / (ms * 1e6) / c).toFixed(0)}% of the ceiling): ` +
          `products at tile speed ${((100 * gemmMs) / ms).toFixed(0)}%, exp ${((100 * expMs) / ms).toFixed(0)}%, ` +
          `bookkeeping ${((100 * rest) / ms).toFixed(0)}%; causal ${(causalMs / ms).toFixed(2)}x the time`,
      );
      raw.builds[isa].flash[n] = { ms, causalMs, gemmMs, expMs, restMs: rest };
    }
  }
  return { rows, raw };
}
