// The measurement loop of `npm run bench`, shared by Node (scripts/bench.mjs) and headless Chromium
// (bench/browser/page.mjs, `npm run bench -- --browser`): no Node APIs here. Engines are interleaved
// round by round in a shuffled order, each sample after a full collection, so machine noise hits
// all of them alike.

export const SIZES = { a: { H: 1, N: 64 }, b: { H: 8, N: 256 }, c: { H: 8, N: 1024 }, d: { H: 1, N: 4096 } };
export const D = 64;
export const flops = ({ H, N }) => 4 * H * N * N * D;

// Deterministic inputs in [-1, 1).
export function randomArray(n, seed) {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

export function shuffled(items, seed) {
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
export function stats(samples) {
  const s = samples.slice().sort((x, y) => x - y);
  const median = quantile(s, 0.5),
    q1 = quantile(s, 0.25),
    q3 = quantile(s, 0.75);
  return { median, q1, q3, noise: (q3 - q1) / median, min: s[0], max: s[s.length - 1], samples };
}

/**
 * Times every engine at every size, interleaved.
 * @param {{ engines: Record<string, { label: string, engine: { prepare: Function }, sizes?: string[],
 *   masked?: boolean }>, reference: string, ceilings: Record<string, { measure(): { best: number,
 *   byCount: object } }>, overhead: Record<string, () => unknown>, sizes: string[], rounds: number,
 *   collectGarbage: () => Promise<void>, log: (message: string) => void }} o
 *   reference: the engine every unmasked output is checked against; overhead: small calls timed
 *   in µs per call
 */
export async function runRounds({ engines, reference, ceilings, overhead, sizes, rounds, collectGarbage, log }) {
  const inputs = {};
  for (const s of sizes) {
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
  for (const s of sizes) {
    const want = await (await engines[reference].engine.prepare(inputs[s]))();
    for (const [name, e] of Object.entries(engines)) {
      if (e.sizes && !e.sizes.includes(s)) continue;
      log(`warming up ${name} at (${s})`);
      const runner = await e.engine.prepare(inputs[s]);
      let out = await runner();
      // until the JIT has settled: at least 3 calls and 300 ms. (Capped at 30 calls, a cell of
      // 50 µs stopped after 1.5 ms, with part of its module still in V8's baseline code: SIMD128
      // then timed 3x slower than relaxed SIMD at (a), whose module the 8x8 calls had warmed.)
      let once = Infinity,
        calls = 0;
      for (const started = performance.now(); calls < 3 || performance.now() - started < 300; calls++) {
        const t0 = performance.now();
        out = await runner();
        once = performance.now() - t0;
      }
      let diff = 0;
      if (!e.masked) for (let i = 0; i < out.length; i++) diff = Math.max(diff, Math.abs(out[i] - want[i]));
      if (!(diff < 1e-4)) throw new Error(`bench: ${name} at (${s}) differs from ${reference} by ${diff}`);
      const reps = Math.max(1, Math.min(2000, Math.ceil(40 / Math.max(once, 1e-3))));
      cells.push({ name, size: s, runner, reps, maxDiff: diff, samples: [] });
    }
  }
  const small = Object.fromEntries(Object.entries(overhead).map(([k, run]) => [k, { run, samples: [] }]));
  for (const o of Object.values(small)) for (let i = 0; i < 20000; i++) o.run();
  // What a fresh result array costs in this runtime: every call copies its outputs out of WASM
  // memory into new typed arrays (HEAPF32.slice), 16 KiB at (a), 512 KiB at (b). Chromium takes
  // several times Node's time for them (measured: 11-18 µs against 2-3 µs at 16 KiB), which is
  // what a call at (a) costs more in the page.
  const allocs = {
    '16 KiB': { src: randomArray(4096, 7), reps: 2000, samples: [] },
    '512 KiB': { src: randomArray(131072, 8), reps: 100, samples: [] },
  };
  let kept = null;
  const ceilingSamples = Object.fromEntries(Object.keys(ceilings).map((k) => [k, []]));

  const started = Date.now();
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds}`);
    const order = shuffled(
      [
        ...cells.map((c) => ({ cell: c })),
        ...Object.keys(ceilings).map((k) => ({ ceiling: k })),
        ...Object.keys(small).map((k) => ({ overhead: k })),
        ...Object.keys(allocs).map((k) => ({ alloc: k })),
      ],
      round + 1,
    );
    for (const item of order) {
      await collectGarbage();
      if (item.ceiling) {
        ceilingSamples[item.ceiling].push(ceilings[item.ceiling].measure());
      } else if (item.alloc) {
        const a = allocs[item.alloc];
        const t0 = performance.now();
        for (let i = 0; i < a.reps; i++) kept = a.src.slice();
        a.samples.push(((performance.now() - t0) / a.reps) * 1000); // µs per array
      } else if (item.overhead) {
        const o = small[item.overhead],
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
  const ceilingResults = {};
  for (const [k, samples] of Object.entries(ceilingSamples)) {
    const best = stats(samples.map((s) => s.best));
    best.bestRound = Math.max(...samples.map((s) => s.best));
    ceilingResults[k] = { gflops: best, byCount: samples.map((s) => s.byCount) };
  }
  return {
    engines: Object.fromEntries(Object.entries(engines).map(([k, e]) => [k, e.label])),
    results,
    ceilings: ceilingResults,
    overhead: Object.fromEntries(Object.entries(small).map(([k, o]) => [k, stats(o.samples)])),
    alloc: kept && Object.fromEntries(Object.entries(allocs).map(([k, a]) => [k, stats(a.samples)])),
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * The 128-bit ceiling kernel (bench/wasm/ceiling.cpp) from its bytes: GFLOP/s of the best chain
 * count, each count run for about `ms` milliseconds.
 */
export async function ceilingEngine(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const counts = [8, 10, 12, 14];
  for (const n of counts) instance.exports[`chains_${n}`](10000, 0.999, 0.001);
  return {
    counts,
    measure(ms = 25) {
      const byCount = {};
      for (const n of counts) {
        const f = instance.exports[`chains_${n}`];
        // ~ms milliseconds at a guessed 40 GFLOP/s (the formula before 2026-12-06 asked for 1000x
        // fewer: 25 µs bursts, which a loaded machine rarely interrupted while the engines' 40 ms
        // samples were, and which Chromium's 100 µs clock could not time at all)
        const iterations = Math.max(1000, Math.round((ms * 40e6) / (8 * n)));
        const t0 = performance.now();
        f(iterations, 0.999, 0.001);
        byCount[n] = (8 * n * iterations) / ((performance.now() - t0) * 1e6);
      }
      return { best: Math.max(...Object.values(byCount)), byCount };
    },
  };
}
