// Invariants of attention that hold whatever the reference says, checked between engine results:
// permuting keys and values together, shifting a row of scores, spelling masks out, and splitting a
// batch. Tolerances come from the oracle (tests/support/oracle.mjs): two results that must agree may each be off
// by their bound, so they may differ by the sum.
import '../support/relaxed.mjs';
import { test } from 'node:test';
import fc from 'fast-check';
import { init } from 'attention-playground';
import { rng } from '../support/random.mjs';
import * as o from '../support/oracle.mjs';
import {
  attentionCase,
  attentionOracle,
  axis,
  bounded,
  model,
  prepareAttention,
  tensor,
  weightsWithin,
} from './cases.mjs';
import { check } from './harness.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];

/** keep(b, i, j) as an explicit 0/1 mask [B, Q, K] (or [Q, K] unbatched). */
function explicitMask(keep, { B, Q, K }, batched) {
  const data = new Float32Array(B * Q * K);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < Q; i++) for (let j = 0; j < K; j++) data[(b * Q + i) * K + j] = keep(b, i, j) ? 1 : 0;
  return { data, shape: batched ? [B, Q, K] : [Q, K] };
}

/** Rows of each batch element of a [.., K, d] tensor (or mask columns) reordered by perm. */
function permuteRows({ data, shape }, perm) {
  const [K, d] = shape.slice(-2),
    B = data.length / (K * d),
    out = new Float32Array(data.length);
  for (let b = 0; b < B; b++)
    for (let j = 0; j < K; j++)
      out.set(data.subarray((b * K + perm[j]) * d, (b * K + perm[j] + 1) * d), (b * K + j) * d);
  return { data: out, shape };
}
function permuteColumns({ data, shape }, perm) {
  const K = shape.at(-1),
    out = new Float32Array(data.length);
  for (let r = 0; r * K < data.length; r++) for (let j = 0; j < K; j++) out[r * K + j] = data[r * K + perm[j]];
  return { data: out, shape };
}

/** options without the positional masks (validLens, causal) and the mask. */
const withoutMasks = ({ validLens, causal, mask, ...rest }) => rest;

const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError && /overflowed float32/.test(e.message)) return null;
    throw e;
  }
};

const softCase = attentionCase.filter((c) => c.mode === 'soft');

test('validLens and causal give exactly what the same mask spelled out gives', (t) => {
  check(
    t,
    'masks spelled out',
    softCase,
    (c) => {
      const p = prepareAttention(c);
      const [q, k, v, options] = p.args;
      const spelled = { ...withoutMasks(options), mask: explicitMask(p.keep, c.dims, c.batched) };
      for (const [name, attn] of builds) {
        const a = attempt(() => attn.attention(q, k, v, options)),
          b = attempt(() => attn.attention(q, k, v, spelled));
        if ((a === null) !== (b === null)) throw new Error(`${name}: one spelling overflowed, the other did not`);
        if (
          a &&
          (a.output.data.some((x, i) => !Object.is(x, b.output.data[i])) ||
            a.weights.data.some((x, i) => !Object.is(x, b.weights.data[i])))
        ) {
          throw new Error(`${name}: validLens/causal and the explicit mask differ`);
        }
      }
    },
    { numRuns: 500 },
  );
});

test('permuting keys and values together permutes the weights and leaves the output unchanged', (t) => {
  check(
    t,
    'permutation',
    fc.tuple(softCase, fc.integer()),
    ([c, permSeed]) => {
      const p = prepareAttention(c);
      const [q, k, v, options] = p.args;
      const rest = withoutMasks(options);
      const { B, Q, K, dv } = c.dims;
      // positional masks (lengths, causal) do not permute: spell them out as a mask and permute that
      const m = explicitMask(p.keep, c.dims, c.batched);
      const r = rng(permSeed),
        perm = [...Array(K).keys()];
      for (let j = K - 1; j > 0; j--) {
        const x = Math.floor(r(0, j + 1));
        [perm[j], perm[x]] = [perm[x], perm[j]];
      }
      const kp = permuteRows(k, perm),
        vp = permuteRows(v, perm),
        mp = permuteColumns(m, perm);
      for (const [name, attn] of builds) {
        const a = attempt(() => attn.attention(q, k, v, { ...rest, mask: m }));
        const b = attempt(() => attn.attention(q, kp, vp, { ...rest, mask: mp }));
        if ((a === null) !== (b === null) && !p.ov.may) throw new Error(`${name}: only one ordering overflowed`);
        if (!a || !b) continue;
        for (let batch = 0; batch < B; batch++) {
          const { w, out } = p.perBatch[batch];
          for (let i = 0; i < Q; i++) {
            for (let j = 0; j < K; j++) {
              const at = i * K + perm[j]; // key j of the permuted call is key perm[j] of the original
              const x = a.weights.data[batch * Q * K + at],
                y = b.weights.data[batch * Q * K + i * K + j];
              if (!(Math.abs(x - y) <= w.hi[at] - w.lo[at]))
                throw new Error(`${name}: weight (${batch}, ${i}, ${perm[j]}) is ${x}, permuted ${y}`);
            }
            for (let col = 0; col < dv; col++) {
              const at = i * dv + col;
              const x = a.output.data[batch * Q * dv + at],
                y = b.output.data[batch * Q * dv + at];
              if (!(Math.abs(x - y) <= 2 * out.err[at] + o.REL64 * Math.abs(out.val[at]))) {
                throw new Error(`${name}: output (${batch}, ${i}, ${col}) is ${x}, with permuted keys ${y}`);
              }
            }
          }
        }
      }
    },
    { numRuns: 1000 },
  );
});

const shiftCase = fc
  .record({
    dims: fc.record({ Q: axis, K: axis, dq: axis, dv: axis }),
    models: fc.record({ q: model, k: model, v: model }),
    seed: fc.integer(),
    shift: fc.oneof(fc.integer({ min: -100, max: 100 }), fc.double({ min: -1e4, max: 1e4, noNaN: true })),
  })
  .map((c) => ({ ...c, dims: { ...bounded(c.dims, (d) => d.Q * d.K * (d.dq + d.dv), 2 ** 15), B: 1 } }));

test('adding a constant to a row of scores leaves its weights unchanged (q·k + c through an extra axis)', (t) => {
  check(
    t,
    'score shift',
    shiftCase,
    (c) => {
      const { Q, K, dq, dv } = c.dims;
      const q = tensor(false, 1, Q, dq, c.models.q, c.seed),
        k = tensor(false, 1, K, dq, c.models.k, c.seed + 1);
      const v = tensor(false, 1, K, dv, c.models.v, c.seed + 2);
      // q' = [q, c_i] and k' = [k, 1]: the dot-product scores of row i become s_ij + c_i
      const shifts = Float32Array.from({ length: Q }, (_, i) => c.shift * (1 + (i % 3)));
      const q2 = tensor(false, 1, Q, dq + 1, 'unit', 0),
        k2 = tensor(false, 1, K, dq + 1, 'unit', 0);
      for (let i = 0; i < Q; i++) {
        q2.data.set(q.data.subarray(i * dq, (i + 1) * dq), i * (dq + 1));
        q2.data[i * (dq + 1) + dq] = shifts[i];
      }
      for (let j = 0; j < K; j++) {
        k2.data.set(k.data.subarray(j * dq, (j + 1) * dq), j * (dq + 1));
        k2.data[j * (dq + 1) + dq] = 1;
      }
      const common = { keep: () => true, scoring: 'dot', fill: -1e6, temperature: 1 };
      const plain = attentionOracle({ q, k, v, dims: { B: 1, Q, K, dq }, ...common });
      const moved = attentionOracle({ q: q2, k: k2, v, dims: { B: 1, Q, K, dq: dq + 1 }, ...common });
      for (const [name, attn] of builds) {
        const a = attempt(() => attn.attention(q.arg, k.arg, v.arg, { scoring: 'dot' }));
        const b = attempt(() => attn.attention(q2.arg, k2.arg, v.arg, { scoring: 'dot' }));
        if (!a || !b) {
          if (!plain.ov.may && !moved.ov.may) throw new Error(`${name}: refused without a float32 overflow`);
          continue;
        }
        const w = plain.perBatch[0].w,
          w2 = moved.perBatch[0].w;
        weightsWithin(b.weights.data, w2, `${name} shifted`);
        for (let i = 0; i < Q * K; i++) {
          const x = a.weights.data[i],
            y = b.weights.data[i];
          if (!(Math.abs(x - y) <= w.hi[i] - w.lo[i] + (w2.hi[i] - w2.lo[i]))) {
            throw new Error(
              `${name}: weight ${i} is ${x}, with the row shifted by ${shifts[Math.floor(i / K)]} it is ${y}`,
            );
          }
        }
      }
    },
    { numRuns: 500 },
  );
});

test('a batch gives exactly what its elements give one by one', (t) => {
  check(
    t,
    'batch split',
    softCase.filter((c) => c.batched),
    (c) => {
      const p = prepareAttention(c);
      const [q, k, v, options] = p.args;
      const { B, Q, K } = c.dims;
      const rest = withoutMasks(options);
      const m = explicitMask(p.keep, c.dims, true);
      const slice = ({ data, shape }, b) => {
        const n = shape[1] * shape[2];
        return { data: data.subarray(b * n, (b + 1) * n), shape: shape.slice(1) };
      };
      for (const [name, attn] of builds) {
        const all = attempt(() => attn.attention(q, k, v, { ...rest, mask: m }));
        if (!all) continue;
        for (let b = 0; b < B; b++) {
          const one = attn.attention(slice(q, b), slice(k, b), slice(v, b), { ...rest, mask: slice(m, b) });
          const n = one.output.data.length;
          if (
            one.output.data.some((x, i) => !Object.is(x, all.output.data[b * n + i])) ||
            one.weights.data.some((x, i) => !Object.is(x, all.weights.data[b * Q * K + i]))
          ) {
            throw new Error(`${name}: batch element ${b} differs from the same problem alone`);
          }
        }
      }
    },
    { numRuns: 300 },
  );
});
