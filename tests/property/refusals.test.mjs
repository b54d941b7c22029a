// Hostile input: a valid random call with one thing broken must be refused with a TypeError or
// RangeError naming the argument, and the engine must stay usable (the same call as before gives
// the same bits) with nothing left allocated. Counts every refused input and every check after it.
import '../support/relaxed.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { init } from 'attention-playground';
import { axis } from './cases.mjs';
import { check, replaying } from './harness.mjs';
import { SEED_W, SEED_X } from '../../web/components/examples/self-attention.js';
import { I2 } from '../support/matrices.mjs';
import { REFUSALS } from '../support/refusals.mjs';

const builds = [
  ['simd', await init({ isa: 'simd128' })],
  ['scalar', await init({ isa: 'scalar' })],
  ['relaxed', await init({ isa: 'relaxed-simd' })],
];
const LIMIT = 2 ** 24;

const fixed = (n, x = 0.5) => Array.from({ length: n }, (_, i) => x + i / 8);
const matrix = (r, c) => Array.from({ length: r }, (_, i) => fixed(c, i / 4));

// Each breakage: (a small valid problem, extra random bits) -> [call, error type, message pattern].
const BREAKAGES = {
  lengthOverK: ({ q, k, v, Q, K }) => [
    (a) => a.attention(q, k, v, { validLens: fixed(Q).map(() => K + 1) }),
    RangeError,
    /^validLens: element \[0\] is \d+\.0+; lengths must be integers in \[0, \d+\]/,
  ],
  lengthFractional: ({ q, k, v }) => [
    (a) => a.attention(q, k, v, { validLens: 0.5 }),
    RangeError,
    /^validLens: the length is 0\.5/,
  ],
  lengthNegative: ({ q, k, v }) => [(a) => a.attention(q, k, v, { validLens: -1 }), RangeError, /^validLens: /],
  lengthShape: ({ q, k, v, Q }) => [
    (a) => a.attention(q, k, v, { validLens: fixed(Q + 1).map(() => 1) }),
    RangeError,
    /^validLens: shape \[\d+\] does not fit scores/,
  ],
  maskValue: ({ q, k, v, Q, K }, e) => [
    (a) => a.attention(q, k, v, { mask: matrix(Q, K).map((r) => r.map(() => [2, 0.5, -1][e % 3])) }),
    RangeError,
    /^mask: entries must be 0 or 1/,
  ],
  maskShape: ({ q, k, v, Q, K }) => [
    (a) => a.attention(q, k, v, { mask: matrix(Q + 1, K).map((r) => r.map(() => 1)) }),
    RangeError,
    /^mask: expected shape/,
  ],
  nonFinite: ({ q, k, v }, e) => {
    const bad = [NaN, Infinity, -Infinity, 1e39][e % 4];
    const args = [q, k, v].map((m) => m.map((r) => r.slice()));
    const which = e % 3;
    args[which][0][0] = bad;
    const name = ['queries', 'keys', 'values'][which];
    return [(a) => a.attention(...args), RangeError, new RegExp(`^${name}: element \\[0, 0\\] is (NaN|-?Infinity)`)];
  },
  valueRows: ({ q, k, v }) => [
    (a) => a.attention(q, k, [...v, v[0]]),
    RangeError,
    /^values: shape \[\d+, \d+\] does not match keys/,
  ],
  widths: ({ q, k, v }) => [
    (a) =>
      a.attention(
        q,
        k.map((r) => [...r, 1]),
        v,
        { scoring: 'dot' },
      ),
    RangeError,
    /^keys: dot scoring needs queries and keys of the same width/,
  ],
  ranks: ({ q, k, v }) => [(a) => a.attention([q], k, v), RangeError, /^queries, keys, values: ranks 3, 2, 2 differ/],
  temperature: ({ q, k, v }, e) => [
    (a) => a.attention(q, k, v, { temperature: [0, -1, NaN, Infinity, -0][e % 5] }),
    RangeError,
    /^temperature: must be a finite number > 0/,
  ],
  fill: ({ q, k, v }, e) => [
    (a) => a.attention(q, k, v, { validLens: 1, fill: [NaN, Infinity][e % 2] }),
    RangeError,
    /^fill: must be a number or -Infinity/,
  ],
  scoringName: ({ q, k, v }, e, s) => [
    (a) => a.attention(q, k, v, { scoring: `x${s}` }),
    TypeError,
    /^scoring: unknown scoring function/,
  ],
  modeName: ({ q, k, v }, e, s) => [(a) => a.attention(q, k, v, { mode: `x${s}` }), TypeError, /^mode: unknown mode/],
  optionName: ({ q, k, v }, e, s) => [
    (a) => a.attention(q, k, v, { [`zz${s}`]: 1 }),
    TypeError,
    /^attention: unknown option 'zz/,
  ],
  optionType: ({ q, k, v }, e) => [
    (a) => a.attention(q, k, v, [{ causal: 1 }, { temperature: '2' }, { scoring: 3 }][e % 3]),
    TypeError,
    /^(causal: expected true or false|temperature: expected a number|scoring: expected a string)/,
  ],
  seed: ({ q, k, v }, e) => [
    (a) => a.attention(q, k, v, { mode: 'sample', seed: [1.5, -1, 2 ** 53][e % 3] }),
    RangeError,
    /^seed: expected an integer in \[0, 2\^53 - 1\]/,
  ],
  overLimit: (p, e) => {
    const rows = 4097 + (e % 1000);
    return [
      (a) => a.softmax({ data: [], shape: [rows, rows] }),
      RangeError,
      new RegExp(`^x: shape \\[${rows}, ${rows}\\] has \\d+ elements, over the limit of ${LIMIT}`),
    ];
  },
  scoresOverLimit: (p, e) => {
    const n = 4097 + (e % 100);
    const t = { data: new Float32Array(n), shape: [n, 1] };
    return [
      (a) => a.attention(t, t, t),
      RangeError,
      new RegExp(`^scores \\[B, Q, K\\]: ${n * n} elements, over the limit of ${LIMIT}`),
    ];
  },
  ragged: ({ q, k, v }) => [
    (a) => a.attention([q[0], [...q[0], 1]], k, v),
    TypeError,
    /^queries\[1\]: ragged nested array/,
  ],
  notANumber: ({ q, k, v }, e, s) => [
    (a) =>
      a.attention(
        q,
        k,
        v.map((r, i) => (i === 0 ? [s, ...r.slice(1)] : r)),
      ),
    TypeError,
    /^values\[0\]\[0\]: expected a number/,
  ],
  dataLength: ({ Q }) => [
    (a) => a.softmax({ data: new Float32Array(Q + 1), shape: [Q, 1] }),
    RangeError,
    /^x: data has \d+ elements but shape \[\d+, 1\] needs \d+/,
  ],
  emptyAxis: ({ K }) => [
    (a) => a.softmax({ data: [], shape: [K, 0] }),
    RangeError,
    /^x: every dimension must be at least 1/,
  ],
  numHeads: ({ Q }) => {
    const x = matrix(Q, 2);
    return [
      (a) => a.multiHeadAttention(x, x, x, { numHeads: 3, wq: I2, wk: I2, wv: I2, wo: [[1], [1]] }),
      RangeError,
      /^numHeads: 3 does not divide the model width D = 2/,
    ];
  },
  positional: (p, e) => {
    const [length, dim, type, pattern] = [
      [0, 4, RangeError, /^positionalEncoding: length and dim must be at least 1/],
      [-1, 4, RangeError, /^length: expected an integer >= 0/],
      [3, 1.5, RangeError, /^dim: expected an integer >= 0/],
      [
        4097,
        4097,
        RangeError,
        new RegExp(`^positionalEncoding \\[length, dim\\]: 16785409 elements, over the limit of ${LIMIT}`),
      ],
      ['8', 4, TypeError, /^length: expected an integer/],
    ][e % 5];
    return [(a) => a.positionalEncoding(length, dim), type, pattern];
  },
  // every fixed case of the suites' one table (tests/support/refusals.mjs), among the random ones
  table: (p, e) => REFUSALS[e % REFUSALS.length].slice(1),
  options: ({ q, k, v }, e) => [
    (a) => a.attention(q, k, v, [null, 3, 'x', []][e % 4]),
    TypeError,
    /^attention: options must be an object/,
  ],
};

const refusal = fc.record({
  Q: axis,
  K: axis,
  d: fc.integer({ min: 2, max: 8 }),
  breakage: fc.constantFrom(...Object.keys(BREAKAGES)),
  e: fc.nat(),
  s: fc.string({ maxLength: 12 }),
});

test('every broken input is refused with the right error naming the argument; the engine stays usable', (t) => {
  const baseline = builds.map(([, a]) => a.selfAttention(SEED_X, { wq: SEED_W, wk: SEED_W, wv: SEED_W }).output.data);
  let refused = 0,
    usableAfter = 0;
  const kinds = new Set();
  const memoryBefore = builds.map(([, a]) => a.memory());
  check(
    t,
    'refusals',
    refusal,
    ({ Q, K, d, breakage, e, s }) => {
      const problem = { q: matrix(Q, d), k: matrix(K, d), v: matrix(K, 2), Q, K };
      const [call, type, pattern] = BREAKAGES[breakage](problem, e, s);
      builds.forEach(([name, attn], i) => {
        assert.throws(
          () => call(attn),
          (err) => {
            assert.equal(err.constructor, type, `${name} ${breakage}: ${err.constructor.name}: ${err.message}`);
            assert.match(err.message, pattern, `${name} ${breakage}: ${err.message}`);
            return true;
          },
          `${name} ${breakage}: accepted`,
        );
        refused++;
        kinds.add(breakage);
        // nothing lost: the same call as before gives the same bits
        const again = attn.selfAttention(SEED_X, { wq: SEED_W, wk: SEED_W, wv: SEED_W }).output.data;
        assert.deepEqual(again, baseline[i], `${name}: the engine answers differently after refusing ${breakage}`);
        usableAfter++;
      });
    },
    { numRuns: 2000 },
  );
  builds.forEach(([name, attn], i) => {
    const after = attn.memory();
    assert.ok(
      after.allocatedBytes <= memoryBefore[i].allocatedBytes + 4096,
      `${name}: ${after.allocatedBytes - memoryBefore[i].allocatedBytes} bytes still allocated after the refusals`,
    );
  });
  t.diagnostic(`inputs refused: ${refused} (${kinds.size} kinds); engine checked usable after each: ${usableAfter}`);
  if (!replaying('refusals'))
    assert.equal(kinds.size, Object.keys(BREAKAGES).length, 'every kind of breakage was tried');
});
