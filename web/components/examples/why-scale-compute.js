// The steps of the why-scale experiment (see why-scale.js), loaded with its first use. The
// experiment (attn.scaleExperiment) takes ~5 ms at the default settings and over 100 ms at the
// largest ones: above a frame's worth of work it runs in the page's worker pool, and the charts
// show the last experiment until the new one arrives.
import { enginePool } from '../engine.js';
import { runAsync, runSync } from './background.js';
import { arr, colNames } from './model.js';
import en from '../../i18n/en.why-scale.js';
import zh from '../../i18n/zh-CN.why-scale.js';

// its step texts travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

const DIMS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
// samples × keys up to which the experiment (samples × keys × Σ d_k multiply-adds, and as many
// normal draws) stays within a frame on the main thread: the defaults, 16 × 16, take ~5 ms
const FRAME_SAMPLES_KEYS = 16 * 16;

const results = new Map(); // 'keys,samples,seed' → the experiment, or { error }
let latest = null; // the last experiment that arrived, shown while a newer one runs
let running = null; // the key being computed in the pool

function* experiment({ keys, samples, seed }) {
  return yield ['scaleExperiment', [{ dims: DIMS, keys, samples, seed }]];
}

async function inPool(o, key, refresh) {
  running = key;
  try {
    results.set(key, await runAsync(await enginePool(), experiment(o)));
  } catch (e) {
    results.set(key, { error: e });
  } finally {
    running = null;
  }
  refresh();
}

/** The steps at state s: the experiment now when it is small (or there is no page), else from the pool. */
export function compute(attn, s, msg, context) {
  msg = msg.with(MESSAGES);
  const o = s.options;
  const key = [o.keys, o.samples, o.seed].join();
  let e = results.get(key);
  if (!e && (!context?.refresh || o.samples * o.keys <= FRAME_SAMPLES_KEYS)) {
    e = runSync(attn, experiment(o));
    results.set(key, e);
  }
  if (e?.error) throw e.error;
  if (e) latest = e;
  else if (running !== key) inPool(o, key, context.refresh);
  const shown = e ?? latest;
  const series = (a, b) => [
    { name: 'q·k', values: arr(shown[a]) },
    { name: 'q·k / √d_k', values: arr(shown[b]) },
  ];
  const q = arr(attn.random([1, o.demoDk], { seed: o.seed + 100 }));
  const k = arr(attn.random([o.keys, o.demoDk], { seed: o.seed + 200 }));
  const raw = attn.attention(q, k, k, { scoring: 'dot' });
  const scaled = attn.attention(q, k, k, { scoring: 'scaled_dot' });
  const keyNames = colNames('k', o.keys);
  const vs = msg('why-scale.vs');
  // the charts of the last experiment while this one runs in the pool (none before the first)
  const note = e ? undefined : msg('why-scale.computing');
  const charts = () => [
    {
      id: 'variance',
      title: msg('why-scale.variance'),
      tex: `\\operatorname{Var}(q \\cdot k) = d_k \\quad\\text{${vs}}\\quad \\operatorname{Var}\\big(\\tfrac{q \\cdot k}{\\sqrt{d_k}}\\big) = 1`,
      chart: {
        x: DIMS,
        xLabel: 'd_k',
        yLabel: msg('why-scale.varianceAxis'),
        log: true,
        series: series('variance', 'varianceScaled'),
      },
    },
    {
      id: 'entropy',
      title: msg('why-scale.entropy'),
      tex: `H(A_{i\\cdot}) = -\\sum_j A_{ij} \\ln A_{ij}, \\quad \\text{${msg('why-scale.uniform', { n: o.keys })} } \\ln ${o.keys}`,
      chart: {
        x: DIMS,
        xLabel: 'd_k',
        yLabel: msg('why-scale.entropyAxis'),
        series: series('entropy', 'entropyScaled'),
      },
    },
    {
      id: 'max-weight',
      title: msg('why-scale.maxWeight'),
      tex: '\\max_j A_{ij}',
      chart: {
        x: DIMS,
        xLabel: 'd_k',
        yLabel: msg('why-scale.maxWeightAxis'),
        series: series('maxWeight', 'maxWeightScaled'),
      },
    },
  ];
  return {
    busy: !e,
    steps: [
      ...(shown ? charts().map((step) => (note ? { ...step, note } : step)) : []),
      {
        id: 'demo',
        title: msg('why-scale.demo', { keys: o.keys, dk: o.demoDk }),
        tex: `\\operatorname{softmax}(q K^\\top) \\quad\\text{${vs}}\\quad \\operatorname{softmax}\\big(q K^\\top / \\sqrt{d_k}\\big)`,
        matrices: [
          {
            name: 'unscaled',
            label: `\\text{${msg('why-scale.unscaled')}}`,
            values: arr(raw.weights),
            rows: ['q'],
            cols: keyNames,
            heatmap: 'sequential',
          },
          {
            name: 'scaled',
            label: `\\text{${msg('why-scale.scaled')}}`,
            values: arr(scaled.weights),
            rows: ['q'],
            cols: keyNames,
            heatmap: 'sequential',
          },
        ],
      },
    ],
  };
}
