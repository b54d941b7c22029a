// softmax and maskedSoftmax on random cases against the float64 oracle, in both builds; and the
// shift invariance of softmax (a constant added to a row changes nothing).
import '../support/relaxed.mjs';
import { test } from 'node:test';
import fc from 'fast-check';
import { init } from 'attention-playground';
import { rng } from '../support/random.mjs';
import * as o from '../support/oracle.mjs';
import {
  axis,
  bounded,
  fill,
  finite,
  model,
  outcome,
  rowsSumToOne,
  temperature,
  values,
  weightsWithin,
} from './cases.mjs';
import { check } from './harness.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];
const ELEMENTS = 2 ** 14;
const elements = (d) => Object.values(d).reduce((a, b) => a * b, 1);

const softmaxCase = fc
  .record({
    shape: fc.array(axis, { minLength: 1, maxLength: 4 }),
    model,
    seed: fc.integer(),
    temperature,
  })
  .map((c) => {
    const dims = bounded(Object.fromEntries(c.shape.map((d, i) => [i, d])), elements, ELEMENTS);
    return { ...c, shape: Object.values(dims) };
  });

test('softmax matches the oracle along the last axis, any rank, any temperature', (t) => {
  check(
    t,
    'softmax',
    softmaxCase,
    (c) => {
      const n = c.shape.reduce((a, b) => a * b, 1),
        K = c.shape.at(-1);
      const x = values(n, c.model, c.seed);
      const ov = new o.Overflow();
      const logits = o.divideByTemperature(o.exact(n / K, K, x), c.temperature);
      ov.checked(logits, 'x / temperature');
      const w = o.softmax(logits);
      for (const [name, attn] of builds) {
        const y = outcome(() => attn.softmax({ data: x, shape: c.shape }, { temperature: c.temperature }), ov, name);
        if (!y) continue;
        if (y.shape.join() !== c.shape.join()) throw new Error(`${name}: shape ${y.shape}`);
        finite(y.data, name);
        weightsWithin(y.data, w, name);
        rowsSumToOne(y.data, K, () => false, name);
      }
    },
    { numRuns: 1000 },
  );
});

const maskedCase = fc
  .record({
    batched: fc.boolean(),
    B: axis,
    Q: axis,
    K: axis,
    model,
    seed: fc.integer(),
    lens: fc.constantFrom('none', 'scalar', 'batch', 'row'),
    fill,
  })
  .map((c) => {
    const d = bounded({ B: c.batched ? c.B : 1, Q: c.Q, K: c.K }, elements, ELEMENTS);
    return { ...c, ...d };
  });

test('maskedSoftmax matches the oracle for every shape of validLens and both kinds of fill', (t) => {
  check(
    t,
    'maskedSoftmax',
    maskedCase,
    (c) => {
      const { B, Q, K, batched } = c,
        r = rng(c.seed);
      const x = values(B * Q * K, c.model, c.seed);
      let lens = null,
        len = () => K;
      if (c.lens === 'scalar') {
        const l = Math.floor(r(0, K + 1));
        [lens, len] = [l, () => l];
      } else if (c.lens === 'batch' && batched) {
        const l = Array.from({ length: B }, () => Math.floor(r(0, K + 1)));
        [lens, len] = [l, (b) => l[b]];
      } else if (c.lens !== 'none') {
        const l = Array.from({ length: B * Q }, () => Math.floor(r(0, K + 1)));
        lens = batched ? { data: Float64Array.from(l), shape: [B, Q] } : l;
        len = (b, i) => l[b * Q + i];
      }
      const fill32 = Math.fround(c.fill);
      const logits = o.exact(B * Q, K, x);
      for (let row = 0; row < B * Q; row++) {
        for (let j = len(Math.floor(row / Q), row % Q); j < K; j++) logits.val[row * K + j] = fill32;
      }
      const w = o.softmax(logits);
      const blocked = (row) => fill32 === -Infinity && len(Math.floor(row / Q), row % Q) === 0;
      for (const [name, attn] of builds) {
        const y = attn.maskedSoftmax({ data: x, shape: batched ? [B, Q, K] : [Q, K] }, lens, { fill: c.fill });
        finite(y.data, name);
        weightsWithin(y.data, w, name);
        rowsSumToOne(y.data, K, blocked, name);
        // under -inf, masked weights are exactly zero
        if (fill32 === -Infinity) {
          for (let row = 0; row < B * Q; row++) {
            for (let j = len(Math.floor(row / Q), row % Q); j < K; j++) {
              if (y.data[row * K + j] !== 0)
                throw new Error(`${name}: masked weight (${row}, ${j}) is ${y.data[row * K + j]}`);
            }
          }
        }
      }
    },
    { numRuns: 1000 },
  );
});

const shiftCase = fc.record({
  rows: axis,
  K: axis,
  model,
  seed: fc.integer(),
  shift: fc.oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.double({ min: -1e4, max: 1e4, noNaN: true }),
    fc.constantFrom(1e6, -1e6, 1e20, -1e30, 2 ** -140),
  ),
});

test('adding a constant to a row of logits leaves its softmax unchanged (up to rounding the sum)', (t) => {
  check(
    t,
    'shift',
    shiftCase,
    (c) => {
      const { rows, K } = c;
      const x = values(rows * K, c.model, c.seed);
      const shifts = Array.from({ length: rows }, (_, i) => c.shift * (i % 3 === 2 ? -1 : 1) + i);
      const shifted = x.map((v, i) => v + shifts[Math.floor(i / K)]); // Float32Array: rounded once
      if (!shifted.every(Number.isFinite)) return; // beyond float32: an input the engine refuses
      // the oracle of the unshifted row, perturbed by what rounding x + c to float32 may have moved
      const logits = o.exact(rows, K, x);
      for (let i = 0; i < x.length; i++) logits.err[i] = o.U * Math.abs(shifted[i]) + o.TINY;
      const w = o.softmax(logits);
      for (const [name, attn] of builds) {
        const plain = attn.softmax({ data: x, shape: [rows, K] }).data;
        const moved = attn.softmax({ data: shifted, shape: [rows, K] }).data;
        weightsWithin(moved, w, `${name} shifted`);
        for (let i = 0; i < plain.length; i++) {
          if (!(Math.abs(plain[i] - moved[i]) <= w.hi[i] - w.lo[i])) {
            throw new Error(`${name}: weight ${i} moved from ${plain[i]} to ${moved[i]} by the shift`);
          }
        }
      }
    },
    { numRuns: 500 },
  );
});
