// multiHeadAttention and selfAttention on random cases against the float64 oracle, in both builds:
// the projections carry their rounding into every head, the heads into the output projection.
import '../support/relaxed.mjs';
import { test } from 'node:test';
import fc from 'fast-check';
import { init } from 'attention-playground';
import * as o from '../support/oracle.mjs';
import {
  axis,
  bounded,
  exactRows,
  fill,
  finite,
  maskSpec,
  masks,
  model,
  outcome,
  rowsSumToOne,
  temperature,
  tensor,
  weightsWithin,
  within,
} from './cases.mjs';
import { check } from './harness.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];
const BUDGET = 2 ** 16;

const multiHeadCase = fc
  .record({
    batched: fc.boolean(),
    dims: fc.record({
      B: axis,
      Q: axis,
      K: axis,
      dq: axis,
      dk: axis,
      dv: axis,
      H: fc.integer({ min: 1, max: 8 }),
      dh: axis,
      dout: axis,
    }),
    models: fc.record({ q: model, k: model, v: model, w: model }),
    seed: fc.integer(),
    masks: maskSpec,
    fill,
    temperature,
  })
  .map((c) => {
    const work = (d) =>
      d.B * (d.Q * d.dq + d.K * (d.dk + d.dv)) * d.H * d.dh +
      2 * d.B * d.H * d.Q * d.K * d.dh +
      d.B * d.Q * d.H * d.dh * d.dout;
    return { ...c, dims: bounded({ ...c.dims, B: c.batched ? c.dims.B : 1 }, work, BUDGET) };
  });

test('multiHeadAttention matches the oracle: projections, every head, the output projection', (t) => {
  check(
    t,
    'multiHeadAttention',
    multiHeadCase,
    (c) => {
      const { batched, seed, models: m } = c;
      const { B, Q, K, dq, dk, dv, H, dh, dout } = c.dims,
        D = H * dh;
      const q = tensor(batched, B, Q, dq, m.q, seed),
        k = tensor(batched, B, K, dk, m.k, seed + 1);
      const v = tensor(batched, B, K, dv, m.v, seed + 2);
      const w = {
        wq: tensor(false, 1, dq, D, m.w, seed + 3),
        wk: tensor(false, 1, dk, D, m.w, seed + 4),
        wv: tensor(false, 1, dv, D, m.w, seed + 5),
        wo: tensor(false, 1, D, dout, m.w, seed + 6),
      };
      const { options: maskOptions, keep } = masks(c.masks, { B, Q, K, batched });
      const options = {
        numHeads: H,
        temperature: c.temperature,
        fill: c.fill,
        ...maskOptions,
        ...Object.fromEntries(Object.entries(w).map(([name, x]) => [name, x.arg])),
      };

      const ov = new o.Overflow();
      const perBatch = [];
      for (let b = 0; b < B; b++) {
        const project = (x, wx, name) => {
          const p = o.matmul(exactRows(x, b), exactRows(wx, 0), ov, name);
          ov.checked(p, name);
          return p;
        };
        const qp = project(q, w.wq, 'q projection'),
          kp = project(k, w.wk, 'k projection'),
          vp = project(v, w.wv, 'v projection');
        const heads = [];
        const concat = { r: Q, c: D, val: new Float64Array(Q * D), err: new Float64Array(Q * D) };
        for (let h = 0; h < H; h++) {
          const head = o.attend(
            o.columnsOf(qp, h * dh, dh),
            o.columnsOf(kp, h * dh, dh),
            o.columnsOf(vp, h * dh, dh),
            { scoring: 'scaled_dot', keep: (i, j) => keep(b, i, j), fill: c.fill, temperature: c.temperature },
            ov,
          );
          for (let i = 0; i < Q; i++) {
            concat.val.set(head.out.val.subarray(i * dh, (i + 1) * dh), i * D + h * dh);
            concat.err.set(head.out.err.subarray(i * dh, (i + 1) * dh), i * D + h * dh);
          }
          heads.push(head);
        }
        const out = o.matmul(concat, exactRows(w.wo, 0), ov, 'output');
        ov.checked(out, 'output');
        perBatch.push({ heads, out });
      }

      for (const [name, attn] of builds) {
        const r = outcome(() => attn.multiHeadAttention(q.arg, k.arg, v.arg, options), ov, name);
        if (!r) continue;
        finite(r.output.data, `${name} output`);
        perBatch.forEach(({ heads, out }, b) => {
          within(r.output.data, out, `${name} output[${b}]`, b * Q * dout);
          heads.forEach(({ w: wh, blocked }, h) => {
            const at = (b * H + h) * Q * K;
            weightsWithin(r.weights.data, wh, `${name} weights[${b}, head ${h}]`, at);
            rowsSumToOne(
              r.weights.data.subarray(at, at + Q * K),
              K,
              (i) => blocked[i],
              `${name} weights[${b}, head ${h}]`,
            );
          });
        });
      }
    },
    { numRuns: 1000 },
  );
});

const selfCase = fc
  .record({
    batched: fc.boolean(),
    dims: fc.record({ B: axis, T: axis, d: axis, dk: axis, dv: axis }),
    scoring: fc.constantFrom('dot', 'scaled_dot', 'bilinear'),
    models: fc.record({ x: model, w: model }),
    seed: fc.integer(),
    masks: maskSpec,
    fill,
    temperature,
  })
  .map((c) => {
    const work = (d) => d.B * d.T * d.d * (2 * d.dk + d.dv) + d.B * d.T * d.T * (d.dk + d.dv) + d.B * d.T * d.dk * d.dk;
    return { ...c, dims: bounded({ ...c.dims, B: c.batched ? c.dims.B : 1 }, work, BUDGET) };
  });

test('selfAttention matches the oracle: Q, K, V = X W, then attention', (t) => {
  check(
    t,
    'selfAttention',
    selfCase,
    (c) => {
      const { batched, seed, models: m, scoring } = c;
      const { B, T, d, dk, dv } = c.dims;
      const x = tensor(batched, B, T, d, m.x, seed);
      const wq = tensor(false, 1, d, dk, m.w, seed + 1),
        wk = tensor(false, 1, d, dk, m.w, seed + 2);
      const wv = tensor(false, 1, d, dv, m.w, seed + 3),
        wb = tensor(false, 1, dk, dk, m.w, seed + 4);
      const { options: maskOptions, keep } = masks(c.masks, { B, Q: T, K: T, batched });
      const options = {
        wq: wq.arg,
        wk: wk.arg,
        wv: wv.arg,
        scoring,
        temperature: c.temperature,
        fill: c.fill,
        ...maskOptions,
      };
      if (scoring === 'bilinear') options.w = wb.arg;

      const ov = new o.Overflow();
      const perBatch = [];
      for (let b = 0; b < B; b++) {
        const project = (wx, name) => {
          const p = o.matmul(exactRows(x, b), exactRows(wx, 0), ov, name);
          ov.checked(p, name);
          return p;
        };
        const qp = project(wq, 'q'),
          kp = project(wk, 'k'),
          vp = project(wv, 'v');
        perBatch.push({
          qp,
          ...o.attend(
            qp,
            kp,
            vp,
            { scoring, w: exactRows(wb, 0), keep: (i, j) => keep(b, i, j), fill: c.fill, temperature: c.temperature },
            ov,
          ),
        });
      }

      for (const [name, attn] of builds) {
        const r = outcome(() => attn.selfAttention(x.arg, options), ov, name);
        if (!r) continue;
        finite(r.output.data, `${name} output`);
        perBatch.forEach(({ qp, scores, w, out, blocked }, b) => {
          within(r.q.data, qp, `${name} q[${b}]`, b * T * dk);
          within(r.scores.data, scores, `${name} scores[${b}]`, b * T * T);
          weightsWithin(r.weights.data, w, `${name} weights[${b}]`, b * T * T);
          rowsSumToOne(
            r.weights.data.subarray(b * T * T, (b + 1) * T * T),
            T,
            (i) => blocked[i],
            `${name} weights[${b}]`,
          );
          within(r.output.data, out, `${name} output[${b}]`, b * T * dv);
        });
      }
    },
    { numRuns: 1000 },
  );
});
