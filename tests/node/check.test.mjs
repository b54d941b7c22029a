// attn.checkWorkedExample (web/lib/check.js): each diagnosis code on a claim built from the float64
// oracle (tests/support/oracle.mjs), never from the engine; the source article's example as it
// prints it; a correct example printed to 4 decimals; the tolerance of printed decimals; errors; and
// the checker page's model and its Markdown export of the corrected example.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../web/lib/api.js';
import { assertClose, attention, matmulRows, softmaxRow } from '../support/oracle.mjs';
import check from '../../web/components/examples/check.js';
import { ARTICLE } from '../../web/components/examples/check-compute.js';
import { toMarkdown } from '../../web/components/exporters.js';
import { checkState, decodeHash, encodeState } from '../../web/components/state.js';
import { translator } from '../../web/i18n/index.js';

const en = translator('en');
import { MAX_TEXT } from '../../web/components/examples/model.js';

let attn;
before(async () => {
  attn = await init();
  await check.load();
});

const transpose = (m) => m[0].map((_, j) => m.map((r) => r[j]));
const round = (m, d = 4) => m.map((r) => r.map((x) => Number(x.toFixed(d))));
const item = (r, name) => r.items.find((i) => i.name === name);

// Inputs with d_k = 4 (so that √d_k ≠ d_k) and QKᵀ not symmetric (so that a transpose shows).
const X = [
  [1, 0, 2],
  [0, 1, -1],
  [2, 1, 0],
];
const WQ = [
  [0.5, -1, 0, 1],
  [1, 0.5, -0.5, 0],
  [0, 1, 1, -0.5],
];
const WK = [
  [1, 0, 0.5, -1],
  [-0.5, 1, 0, 0.5],
  [0.5, 0.5, 1, 0],
];
const WV = [
  [1, 0],
  [0, 1],
  [1, -1],
];
const Q = matmulRows(X, WQ),
  K = matmulRows(X, WK),
  V = matmulRows(X, WV);
const REF = attention(Q, K, V); // float64: scores, logits, weights, output
const QK = attention(Q, K, V, { scoring: 'dot' }).scores;
const inputs = { x: X, wq: WQ, wk: WK, wv: WV };

test('a correct example printed to 4 decimals passes, and every expected value is the float64 one', () => {
  const text = Object.entries({
    X,
    W_Q: WQ,
    W_K: WK,
    W_V: WV,
    Q,
    K,
    V,
    'QK^T': QK,
    scores: REF.scores,
    weights: REF.weights,
    output: REF.output,
  })
    .map(
      ([name, m]) =>
        `${name} = array(${JSON.stringify(
          round(m)
            .map((r) => r.map((x) => x.toFixed(4)))
            .map((r) => r.map(Number)),
        )})`,
    )
    .join('\n');
  const r = attn.checkWorkedExample(attn.parseWorkedExample(text));
  assert.equal(r.verdict, 'correct');
  assert.equal(r.firstWrong, null);
  assert.deepEqual(
    r.items.map((i) => [i.name, i.status]),
    ['q', 'k', 'v', 'qk', 'scores', 'weights', 'output'].map((n) => [n, 'correct']),
  );
  const want = { q: Q, k: K, v: V, qk: QK, scores: REF.scores, weights: REF.weights, output: REF.output };
  for (const i of r.items) assertClose(i.expected.toArray(), want[i.name], { what: i.name });
});

test('a claim within half a unit of its last printed decimal is right; a unit off is wrong (arithmetic)', () => {
  const w = round(REF.weights, 2);
  assert.equal(attn.checkWorkedExample({ ...inputs, weights: w }).verdict, 'correct'); // decimals read off the numbers
  const off = w.map((r) => r.slice());
  off[1][2] = Number((off[1][2] + 0.01).toFixed(2));
  const r = attn.checkWorkedExample({ ...inputs, weights: off });
  assert.equal(r.firstWrong, 'weights');
  assert.deepEqual(item(r, 'weights').wrongCells, [[1, 2]]);
  assert.equal(item(r, 'weights').diagnosis.code, 'arithmetic');
  assert.match(item(r, 'weights').diagnosis.message, /^One cell is wrong: \(2, 3\) is /);
  // the same claim read as printed to 1 decimal: within 0.05 of every weight
  assert.equal(attn.checkWorkedExample({ ...inputs, weights: off }, { decimals: 1 }).verdict, 'correct');
  // not given: the engine's value, no verdict on it
  assert.deepEqual(
    r.items.filter((i) => i.status === 'not-given').map((i) => i.name),
    ['q', 'k', 'v', 'qk', 'scores', 'output'],
  );
});

test('shape: a claim of the wrong shape says what is missing', () => {
  const r = attn.checkWorkedExample({
    ...inputs,
    qk: round(QK).slice(0, 2),
    output: round(REF.output).map((row) => [...row, 0]),
  });
  assert.equal(item(r, 'qk').diagnosis.code, 'shape');
  assert.equal(
    item(r, 'qk').diagnosis.message,
    '2 × 3: one query row is missing — 3 queries against 3 keys give 3 × 3.',
  );
  assert.equal(item(r, 'qk').wrongCells.length, 6);
  assert.equal(
    item(r, 'output').diagnosis.message,
    '3 × 3: one column too many — 3 queries, each a mix of values of width 2, give 3 × 2.',
  );
});

test('transposed: QKᵀ with rows and columns swapped (square and not)', () => {
  const r = attn.checkWorkedExample({ ...inputs, qk: round(transpose(QK)) });
  assert.equal(item(r, 'qk').diagnosis.code, 'transposed');
  const q2 = Q.slice(0, 2); // 2 queries, 3 keys: QKᵀ is 2 × 3, the claim 3 × 2
  const r2 = attn.checkWorkedExample({
    q: q2,
    k: K,
    v: V,
    qk: round(transpose(attention(q2, K, V, { scoring: 'dot' }).scores)),
  });
  assert.deepEqual(
    r2.items.map((i) => i.name),
    ['qk', 'scores', 'weights', 'output'],
  ); // q, k, v are the inputs
  assert.equal(item(r2, 'qk').diagnosis.code, 'transposed');
});

test('no-scale and scaled-by-dk: scores (and what follows from them) without ÷√d_k or divided by d_k', () => {
  const unscaled = attention(Q, K, V, { scoring: 'dot' });
  const r = attn.checkWorkedExample({
    ...inputs,
    scores: round(QK),
    weights: round(unscaled.weights),
    output: round(unscaled.output),
  });
  // the weights and output follow from the claimed (unscaled) scores: carried; claimed alone, they are no-scale
  assert.deepEqual(
    r.items.slice(4).map((i) => i.diagnosis.code),
    ['no-scale', 'carried', 'carried'],
  );
  const alone = attn.checkWorkedExample({
    ...inputs,
    weights: round(unscaled.weights),
    output: round(unscaled.output),
  });
  assert.deepEqual(
    alone.items.slice(5).map((i) => i.diagnosis.code),
    ['no-scale', 'carried'],
  );
  assert.equal(
    attn.checkWorkedExample({ ...inputs, output: round(unscaled.output) }).items[6].diagnosis.code,
    'no-scale',
  );
  assert.equal(
    item(r, 'scores').diagnosis.message,
    'These are QKᵀ without the division by √d_k = √4: the scores were not scaled.',
  );
  const byDk = attention(Q, K, V, { scoring: 'dot', temperature: 4 });
  const r2 = attn.checkWorkedExample({ ...inputs, scores: round(byDk.logits), output: round(byDk.output) });
  assert.equal(item(r2, 'scores').diagnosis.code, 'scaled-by-dk');
  assert.equal(item(r2, 'scores').diagnosis.message, 'The scores were divided by d_k = 4 instead of √d_k = √4.');
  assert.equal(item(r2, 'output').diagnosis.code, 'scaled-by-dk'); // no weights claimed to carry it
  assert.equal(
    attn.checkWorkedExample({ ...inputs, weights: round(byDk.weights) }).items[5].diagnosis.code,
    'scaled-by-dk',
  );
});

test('softmax-axis: the softmax taken down the columns', () => {
  const columns = transpose(transpose(REF.scores).map(softmaxRow));
  for (const c of transpose(columns))
    assertClose(
      c.reduce((a, b) => a + b, 0),
      1,
    ); // each column sums to 1
  const r = attn.checkWorkedExample({ ...inputs, weights: round(columns) });
  assert.equal(item(r, 'weights').diagnosis.code, 'softmax-axis');
  assert.equal(
    item(r, 'weights').diagnosis.message,
    "The softmax was taken down the columns (each column sums to 1), not along each query's row.",
  );
});

test('carried: steps right given the claimed (wrong) inputs of their own step', () => {
  const badQ = Q.map((r) => r.slice());
  badQ[0][1] += 1;
  const fromBadQ = attention(badQ, K, V);
  const r = attn.checkWorkedExample({
    ...inputs,
    q: badQ,
    scores: round(fromBadQ.scores),
    weights: round(fromBadQ.weights),
    output: round(fromBadQ.output),
  });
  assert.equal(r.firstWrong, 'q');
  assert.equal(item(r, 'q').diagnosis.code, 'arithmetic');
  assert.equal(item(r, 'q').diagnosis.message, `One cell is wrong: (1, 2) is ${Q[0][1] + 1}, not ${Q[0][1]}.`);
  assert.deepEqual(
    r.items.slice(4).map((i) => [i.name, i.status, i.diagnosis.code]),
    [
      ['scores', 'wrong', 'carried'],
      ['weights', 'wrong', 'carried'],
      ['output', 'wrong', 'carried'],
    ],
  );
  assert.equal(
    item(r, 'scores').diagnosis.message,
    'Wrong only because an earlier step was: it is right given the claimed Q.',
  );
  assert.equal(
    item(r, 'output').diagnosis.message,
    'Wrong only because an earlier step was: it is right given the claimed A.',
  );
  // the expected values stay the right ones, not the carried ones
  assertClose(item(r, 'output').expected.toArray(), REF.output);
});

test('a causal mask: the expected weights block the keys after each query', () => {
  const causal = attention(Q, K, V, { keep: (i, j) => j <= i });
  const r = attn.checkWorkedExample(
    { ...inputs, weights: round(causal.weights), output: round(causal.output) },
    { causal: true },
  );
  assert.equal(r.verdict, 'correct');
  assert.equal(attn.checkWorkedExample({ ...inputs, weights: round(causal.weights) }).verdict, 'wrong');
  assertClose(item(r, 'weights').expected.toArray(), causal.weights);
});

test("the source article's example: Q, K, V wrong in their third row from the first step; its 2 × 3 scores are a shape error", () => {
  const r = attn.checkWorkedExample(attn.parseWorkedExample(ARTICLE));
  assert.equal(r.verdict, 'wrong');
  assert.equal(r.firstWrong, 'q');
  for (const [name, w] of [
    ['q', 'W_Q'],
    ['k', 'W_K'],
    ['v', 'W_V'],
  ]) {
    const i = item(r, name);
    assert.deepEqual(
      i.wrongCells,
      [
        [2, 0],
        [2, 1],
      ],
      name,
    );
    assert.equal(i.diagnosis.code, 'arithmetic');
    assert.equal(
      i.diagnosis.message,
      `X is the identity, so X·${w} is ${w} itself: ${name.toUpperCase()} keeps ${w}'s row 3, [1, 1], where the claim has [0, 0].`,
    );
    assert.deepEqual(i.expected.toArray(), [
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
  }
  assert.equal(item(r, 'qk').status, 'not-given');
  const scores = item(r, 'scores');
  assert.equal(scores.diagnosis.code, 'shape');
  assert.equal(scores.diagnosis.message, '2 × 3: one query row is missing — 3 queries against 3 keys give 3 × 3.');
  assert.equal(item(r, 'weights').diagnosis.code, 'shape');
  assert.equal(item(r, 'output').diagnosis.code, 'shape');
  // the right values, against closed forms: S = [[1, 0, 1], [0, 1, 1], [1, 1, 2]] / √2
  const s = 1 / Math.SQRT2;
  assertClose(scores.expected.toArray(), [
    [s, 0, s],
    [0, s, s],
    [s, s, 2 * s],
  ]);
  const seed = attention(
    [
      [1, 0],
      [0, 1],
      [1, 1],
    ],
    [
      [1, 0],
      [0, 1],
      [1, 1],
    ],
    [
      [1, 0],
      [0, 1],
      [1, 1],
    ],
  );
  assertClose(item(r, 'weights').expected.toArray(), seed.weights);
  assertClose(item(r, 'output').expected.toArray(), seed.output);
});

test('bad claims and options: a TypeError or RangeError naming them, and the engine still works', () => {
  assert.throws(() => attn.checkWorkedExample({ x: X, wq: WQ, wk: WK }), {
    name: 'TypeError',
    message: 'claims: missing wv; give the inputs as { x, wq, wk, wv } or { q, k, v }',
  });
  assert.throws(() => attn.checkWorkedExample({ scores: QK }), {
    name: 'TypeError',
    message: /^claims: missing q, k, v/,
  });
  assert.throws(() => attn.checkWorkedExample({ ...inputs, logits: QK }), {
    name: 'TypeError',
    message: /^claims: unknown name 'logits'/,
  });
  assert.throws(() => attn.checkWorkedExample({ ...inputs }, { temperature: 2 }), {
    name: 'TypeError',
    message: /unknown option 'temperature'/,
  });
  assert.throws(() => attn.checkWorkedExample({ ...inputs }, { scoring: 'additive' }), {
    name: 'TypeError',
    message: /^scoring: the checker knows/,
  });
  assert.throws(() => attn.checkWorkedExample({ ...inputs }, { decimals: -1 }), {
    name: 'RangeError',
    message: /^decimals: expected an integer from 0 to 15/,
  });
  assert.throws(() => attn.checkWorkedExample({ ...inputs, q: [[1, 2], [3]] }), {
    name: 'RangeError',
    message: 'claims.q: row 2 has 1 entries, row 1 has 2',
  });
  assert.throws(() => attn.checkWorkedExample({ ...inputs, q: [[1, NaN]] }), {
    name: 'RangeError',
    message: 'claims.q[0][1]: expected a finite number, got NaN',
  });
  assert.throws(() => attn.checkWorkedExample('X = 1'), { name: 'TypeError', message: /^claims: expected an object/ });
  // inputs that do not fit: the engine's own RangeError
  assert.throws(() => attn.checkWorkedExample({ x: X, wq: [[1]], wk: WK, wv: WV }), RangeError);
  assert.equal(attn.checkWorkedExample({ ...inputs, output: round(REF.output) }).verdict, 'correct');
});

test('the checker page: its steps mark the claims, and the Markdown export is the corrected example', () => {
  const s = check.defaults(attn);
  const { steps } = check.compute(attn, s, en);
  assert.deepEqual(
    steps.map((st) => [st.id, st.status ?? null, !!st.first]),
    [
      ['inputs', null, false],
      ['q', 'wrong', true],
      ['k', 'wrong', false],
      ['v', 'wrong', false],
      ['qk', 'not-given', false],
      ['scores', 'wrong', false],
      ['weights', 'wrong', false],
      ['output', 'wrong', false],
    ],
  );
  assert.match(steps[0].note, /^Verdict: wrong from Q \(step 2\)\. X is the identity/);
  const q = steps[1].matrices[0];
  assert.deepEqual(
    [q.claimed, q.wrong, q.values[2], q.expected[2]],
    [
      true,
      [
        [2, 0],
        [2, 1],
      ],
      [0, 0],
      [1, 1],
    ],
  );
  assert.deepEqual(
    steps[5].matrices.map((m) => [m.name, m.values.length]),
    [
      ['scores-claimed', 2],
      ['scores', 3],
    ],
  );
  const md = toMarkdown({ title: check.title, steps, precision: 4 });
  assert.match(
    md,
    /Q = \\begin\{bmatrix\} 1\.0000 & 0\.0000 \\\\ 0\.0000 & 1\.0000 \\\\ 1\.0000 & 1\.0000 \\end\{bmatrix\}/,
  );
  assert.match(md, /S = \\begin\{bmatrix\} 0\.7071 & 0\.0000 & 0\.7071 \\\\/);
  assert.doesNotMatch(md, /\\text\{pasted\}/); // the 2 × 3 claims are left out of the corrected example
  assert.match(md, /2 × 3: one query row is missing/); // the diagnosis stays, as the step's note
  // options: dot scoring and a pinned number of decimals reach the check
  const dot = check.compute(attn, { ...s, options: { ...s.options, scoring: 'dot', decimals: '2' } }, en);
  assert.equal(dot.steps.find((st) => st.id === 'scores').tex, 'S = Q K^\\top');
  // an unreadable paste: the parser's error, with its line
  assert.throws(() => check.compute(attn, { ...s, texts: { paste: 'X = [[1, 0],\n[0, ?]]' } }, en), {
    name: 'SyntaxError',
    message: /^line 2, column 5/,
  });
});

test('the paste in the URL state: it round-trips, and a state holding too much text or not text is refused', () => {
  const s = check.defaults(attn);
  assert.deepEqual(decodeHash(encodeState('check', s)), { example: 'check', state: s });
  assert.equal(checkState({ ...s, texts: { paste: 'x'.repeat(MAX_TEXT) } }), null);
  assert.equal(
    checkState({ ...s, texts: { paste: 'x'.repeat(MAX_TEXT + 1) } }),
    `texts hold ${MAX_TEXT + 1} characters, at most ${MAX_TEXT}`,
  );
  assert.equal(checkState({ ...s, texts: { paste: 42 } }), 'texts must be an object of strings');
  assert.equal(checkState({ ...s, texts: ['a'] }), 'texts must be an object of strings');
});
