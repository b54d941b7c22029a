// The measuring half of #example=quadratic-cost (see quadratic-cost.js), loaded with its first use.
//
// One measurement is a generator of engine calls (`measure`, run by background.js), so that one
// piece of code drives both the synchronous engine (compute() without a context: Node, tests) and,
// in the page, the worker pool, where a call at N = 16384 takes seconds and must not block the
// main thread. Results are
// kept per N for the page's lifetime, so the plot grows as N is slid.
import { enginePool } from '../engine.js';
import { runAsync, runSync } from './background.js';
import en from '../../i18n/en.quadratic-cost.js';
import zh from '../../i18n/zh-CN.quadratic-cost.js';

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

const D = 64; // the head width of every measurement
const N_FIRST = 64;
const HEAT = 64; // the heatmap's pixels per side
const SEEDS = { queries: 1, keys: 2, values: 3 };

const now = () => performance.now();

/**
 * The engine calls of one measurement at N, as a generator: each `yield [method, args]` gets the
 * call's result back (or has its error thrown in). Returns the point and, at N ≤ the weights'
 * limit, both heatmaps.
 */
function* measure(n) {
  const q = yield ['random', [[n, D], { seed: SEEDS.queries }]];
  const k = yield ['random', [[n, D], { seed: SEEDS.keys }]];
  const v = yield ['random', [[n, D], { seed: SEEDS.values }]];
  const point = { n };
  yield ['memory', []]; // resets heldBytes: what follows is this call's
  [point.streamMs] = yield* timed(['attention', [q, k, v, { weights: false }]]);
  point.streamBytes = (yield ['memory', []]).heldBytes;
  let heat = null;
  try {
    let weights;
    [point.materialMs, { weights }] = yield* timed(['attention', [q, k, v, { weights: true }]]);
    point.materialBytes = (yield ['memory', []]).heldBytes;
    const size = Math.min(n, HEAT);
    heat = {};
    for (const reduce of ['mean', 'max']) {
      heat[reduce] = yield ['downsample', [weights, { rows: size, cols: size, reduce }]];
    }
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    point.refused = true; // over the engine's size limit (attn.limits.maxElements): the quadratic cost, met
  }
  return { point, heat };
}

// [ms, result] of a call: the fastest of up to seven (within 250 ms in all) when one takes under
// 50 ms, else of one. The first calls of a size pay for warming up, and a small call in the pool is
// mostly messages between threads, whose time varies: of three, the fastest was still up to 2 ms
// at N = 64-128 in Chromium where it is 0.3-0.4 ms (AMD EPYC).
function* timed(call) {
  let best = Infinity,
    result;
  const start = now();
  for (let i = 0; i < 7 && (i === 0 || (best < 50 && now() - start < 250)); i++) {
    const t = now();
    result = yield call;
    best = Math.min(best, now() - t);
  }
  return [best, result];
}

// What has been measured in this page, and what the pool is doing.
const points = new Map(); // n → point
const heats = new Map(); // n → { mean, max }
let target = null; // the N the page shows
let running = null; // the N being measured
let working = false; // one measuring loop at a time: its calls must not overlap (time, memory)
let workers = 0;
let failure = null;

const sizesUpTo = (n) => {
  const out = [];
  for (let m = N_FIRST; m <= n; m *= 2) out.push(m);
  return out;
};

function keep(n, { point, heat }) {
  points.set(n, point);
  if (heat) heats.set(n, heat);
}

// Measures, in the pool, every N up to the target not measured yet, smallest first; a repaint after each.
async function work(refresh) {
  if (working) return;
  working = true;
  try {
    const pool = await enginePool();
    workers = pool.workers;
    for (;;) {
      const next = sizesUpTo(target).find((m) => !points.has(m));
      if (next === undefined) break;
      running = next;
      refresh();
      keep(next, await runAsync(pool, measure(next)));
      running = null;
      refresh();
    }
  } catch (e) {
    failure = e.message;
    refresh();
  } finally {
    running = null;
    working = false;
  }
}

/** The example's steps at state s: what is measured so far; the rest is measured in the pool. */
export function compute(attn, s, msg, context) {
  msg = msg.with(MESSAGES);
  const { n, reduce } = s.options;
  if (!Number.isInteger(Math.log2(n)) || n < N_FIRST || n > 16384) {
    throw new RangeError(`n: expected a power of two in [${N_FIRST}, 16384], got ${n}`);
  }
  if (reduce !== 'mean' && reduce !== 'max') throw new RangeError(`reduce: expected 'mean' or 'max', got ${reduce}`);
  target = n;
  if (context?.refresh) {
    if (sizesUpTo(n).some((m) => !points.has(m))) work(context.refresh);
  } else {
    // no pool to wait for (Node, tests): measure here, on the synchronous engine
    for (const m of sizesUpTo(n)) if (!points.has(m)) keep(m, runSync(attn, measure(m)));
  }
  return { steps: steps(n, reduce, msg, attn.limits.maxElements), busy: sizesUpTo(n).some((m) => !points.has(m)) };
}

function steps(n, reduce, msg, maxElements) {
  const rows = sizesUpTo(n)
    .filter((m) => points.has(m))
    .map((m) => points.get(m));
  const here = workers === 0;
  const status = failure
    ? failure
    : running !== null
      ? here
        ? msg('quadratic-cost.measuringHere', { n: running })
        : msg('quadratic-cost.measuring', { n: running, count: workers })
      : rows.length
        ? here
          ? msg('quadratic-cost.measuredHere', { d: D })
          : msg('quadratic-cost.measured', { count: workers, d: D })
        : msg('quadratic-cost.notYet');
  const x = rows.map((r) => r.n);
  const materialised = msg('quadratic-cost.materialised'),
    streaming = msg('quadratic-cost.streaming');
  const chart = (yLabel, a, b) => ({
    x,
    xLabel: 'N',
    yLabel,
    log: true,
    logX: true,
    guides: [
      { name: '∝ N²', power: 2 },
      { name: '∝ N', power: 1 },
    ],
    series: [
      { name: materialised, values: rows.map((r) => r[a] ?? NaN) },
      { name: streaming, values: rows.map((r) => r[b]) },
    ],
  });
  const refused = msg('quadratic-cost.refused');
  const ms = (x) => msg('quadratic-cost.ms', { x: x.toFixed(x < 10 ? 2 : 1) });
  const mib = (x) => msg('quadratic-cost.mib', { x: (x / 2 ** 20).toFixed(x < 2 ** 20 ? 3 : 1) });
  const last = rows.slice(-3);
  const costRows = last.map((r) =>
    msg('quadratic-cost.costRow', {
      n: r.n,
      material: r.materialMs === undefined ? refused : ms(r.materialMs),
      stream: ms(r.streamMs),
    }),
  );
  const memoryRows = last.map((r) =>
    msg('quadratic-cost.memoryRow', {
      n: r.n,
      material: r.materialBytes === undefined ? refused : mib(r.materialBytes),
      stream: mib(r.streamBytes),
    }),
  );
  const refusedAt = rows.find((r) => r.refused)?.n;
  const out = [
    {
      id: 'cost',
      title: msg('quadratic-cost.costTitle'),
      tex: `\\underbrace{\\operatorname{softmax}\\big(QK^\\top/\\sqrt{d}\\big)}_{N \\times N}\\,V: \\; 2 \\cdot 2N^2 d \\text{ ${msg('quadratic-cost.multiplyAdds')}}`,
      note: `${status} ${rows.length ? msg('quadratic-cost.costNote', { rows: costRows.join('; ') }) : ''}`.trim(),
      ...(rows.length ? { chart: chart(msg('quadratic-cost.msAxis'), 'materialMs', 'streamMs') } : {}),
    },
  ];
  if (rows.length) {
    out.push({
      id: 'memory',
      title: msg('quadratic-cost.memoryTitle'),
      tex: `\\text{${materialised}}: 4N^2 + 16Nd \\text{ B}, \\quad \\text{${streaming}}: 16Nd \\text{ B}`,
      note:
        msg('quadratic-cost.memoryNote', { rows: memoryRows.join('; ') }) +
        (refusedAt ? ` ${msg('quadratic-cost.refusal', { n: refusedAt, limit: maxElements })}` : ''),
      chart: chart(msg('quadratic-cost.bytesAxis'), 'materialBytes', 'streamBytes'),
    });
  }
  const shown = [...heats.keys()].filter((m) => m <= n).sort((a, b) => b - a)[0];
  if (shown !== undefined) {
    const h = heats.get(shown)[reduce];
    const re = h.rowEdges.data,
      ce = h.colEdges.data;
    const title = msg(`quadratic-cost.weightsTitle.${reduce}`, { n: shown });
    out.push({
      id: 'weights',
      title,
      note: `${shown < n ? `${msg('quadratic-cost.weightsShown', { n, shown })} ` : ''}${msg('quadratic-cost.weightsNote')}`,
      matrices: [
        {
          name: 'weights',
          label: 'A',
          values: h.values.toArray(),
          // the block's rows and keys (the edges come from the engine), shown on hover; numbered from
          // 1 as in every other example (q1–16 is rows 0 to 15)
          rows: Array.from({ length: re.length - 1 }, (_, i) => `q${re[i] + 1}–${re[i + 1]}`),
          cols: Array.from({ length: ce.length - 1 }, (_, j) => `k${ce[j] + 1}–${ce[j + 1]}`),
          heatmap: 'sequential',
          heatmapOnly: true,
          dataRange: true, // block means of N keys sit near 1/N: [0, 1] would show one colour
          title,
        },
      ],
    });
  }
  return out;
}
