// Every worked example module (web/components/examples/), driven by the registry: it declares what
// web/components/examples/model.js documents, its defaults compute on the engine into well-formed
// steps, its default state passes the URL-state check, and resize and randomise give states that
// compute. A new example is checked here without a line of its own; its numbers are checked in the
// browser suite (tests/browser/playground.test.mjs) against direct engine calls.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../web/lib/index.js';
import { EXAMPLES, EXAMPLE_IDS, MAX_TEXT, exampleById } from '../../web/components/examples/index.js';
import { checkState, decodeHash, encodeState } from '../../web/components/state.js';
import { translator } from '../../web/i18n/index.js';

const en = translator('en');

const SHARED_CONTROLS = ['labels', 'scoring', 'mask', 'temperature', 'mode', 'seed', 'size', 'randomise'];
let attn;
before(async () => {
  attn = await init();
  await Promise.all(EXAMPLES.map((e) => e.load?.())); // code an example loads on first use
});

const shape = (m) => (Array.isArray(m) ? [m.length, ...shape(m[0])] : []);

function checkSteps(id, { steps }) {
  assert.ok(Array.isArray(steps) && steps.length > 0, `${id}: no steps`);
  const stepIds = steps.map((s) => s.id),
    names = steps.flatMap((s) => (s.matrices ?? []).map((m) => m.name));
  assert.equal(new Set(stepIds).size, stepIds.length, `${id}: step ids repeat: ${stepIds}`);
  assert.equal(new Set(names).size, names.length, `${id}: matrix names repeat: ${names}`);
  for (const step of steps) {
    assert.equal(typeof step.title, 'string', `${id}/${step.id}: title`);
    assert.ok(step.matrices || step.chart || step.comparison || step.view, `${id}/${step.id}: shows nothing`);
    if (step.view) assert.match(step.view.tag, /^[a-z]+-[a-z-]+$/, `${id}/${step.id}: a view names its element`);
    if (step.comparison)
      for (const c of step.comparison)
        assert.ok(
          c.correct.every((row) => row.every(Number.isFinite)),
          `${id}/${step.id}: comparison ${c.what} is not finite`,
        );
    for (const m of step.matrices ?? []) {
      const [r, c] = shape(m.values);
      assert.equal(shape(m.values).length, 2, `${id}/${m.name}: values must be a matrix`);
      assert.ok(
        m.values.every((row) => row.length === c && row.every((x) => Number.isFinite(x) || x === -Infinity)),
        `${id}/${m.name}: ragged, NaN or +∞`,
      );
      if (m.rows) assert.equal(m.rows.length, r, `${id}/${m.name}: ${m.rows.length} row labels for ${r} rows`);
      if (m.cols) assert.equal(m.cols.length, c, `${id}/${m.name}: ${m.cols.length} column labels for ${c} columns`);
      if (m.explain) assert.deepEqual(shape(m.explain), [r, c], `${id}/${m.name}: explain logits shape`);
      if (m.heatmap) assert.ok(['sequential', 'diverging'].includes(m.heatmap), `${id}/${m.name}: heatmap kind`);
      if (m.editable) assert.ok(Array.isArray(m.path), `${id}/${m.name}: an editable matrix needs a path`);
    }
  }
}

test('the registry: unique ids, every example declares what the step model documents', () => {
  assert.equal(new Set(EXAMPLE_IDS).size, EXAMPLE_IDS.length);
  for (const e of EXAMPLES) {
    assert.match(e.id, /^[a-z][a-z0-9-]*$/, `${e.id}: an id is a deep link`);
    assert.equal(exampleById(e.id), e);
    for (const field of ['title', 'summary'])
      assert.ok(typeof e[field] === 'string' && e[field].length > 10, `${e.id}.${field}`);
    for (const fn of ['defaults', 'compute']) assert.equal(typeof e[fn], 'function', `${e.id}.${fn}`);
    const keys = [];
    for (const c of e.controls) {
      if (typeof c === 'string') {
        assert.ok(SHARED_CONTROLS.includes(c), `${e.id}: unknown shared control ${c}`);
        if (c === 'size') assert.ok(e.sizes && e.resize, `${e.id}: 'size' needs sizes and resize`);
        if (c === 'randomise') assert.ok(e.randomise, `${e.id}: 'randomise' needs randomise`);
        continue;
      }
      assert.ok(['select', 'number', 'text', 'element'].includes(c.kind), `${e.id}/${c.key}: kind`);
      for (const f of ['name', 'key', 'label']) assert.equal(typeof c[f], 'string', `${e.id}: control ${f}`);
      for (const f of ['get', 'set']) assert.equal(typeof c[f], 'function', `${e.id}/${c.key}.${f}`);
      if (c.kind === 'select') assert.equal(typeof c.choices, 'function', `${e.id}/${c.key}: a select needs choices`);
      else if (c.kind === 'element') assert.match(c.tag, /^[a-z]+-[a-z-]+$/, `${e.id}/${c.key}: an element's tag`);
      else if (c.kind === 'text')
        assert.equal(typeof c.get(e.defaults(attn)), 'string', `${e.id}/${c.key}: a text field reads a string`);
      else
        assert.ok(Number.isInteger(c.min) && Number.isInteger(c.max), `${e.id}/${c.key}: a number needs min and max`);
      keys.push(c.key);
    }
    assert.equal(new Set(keys).size, keys.length, `${e.id}: control keys repeat`);
  }
});

for (const e of EXAMPLES) {
  test(`${e.id}: defaults compute, pass the URL-state check and round-trip through a permalink`, () => {
    const s = e.defaults(attn);
    checkSteps(e.id, e.compute(attn, s, en));
    assert.equal(checkState(s), null);
    assert.deepEqual(decodeHash(encodeState(e.id, s)), { example: e.id, state: s });
    // every control of its own reads a value the state holds, offered among its choices
    for (const c of e.controls.filter((x) => typeof x !== 'string')) {
      const value = c.get(s);
      if (c.kind === 'select')
        assert.ok(
          c.choices(s, en).some(([v]) => String(v) === String(value)),
          `${c.key}: ${value} not offered`,
        );
      else if (c.kind === 'text') assert.ok(value.length <= MAX_TEXT, `${c.key}: ${value.length} characters`);
      else if (c.kind === 'element') assert.notEqual(value, undefined, `${c.key}: reads the state`);
      else assert.ok(value >= c.min && value <= c.max, `${c.key}: ${value} outside [${c.min}, ${c.max}]`);
    }
  });

  if (e.resize) {
    test(`${e.id}: resize grows and shrinks, keeping what fits`, () => {
      const s = e.defaults(attn),
        sz = e.sizes(s);
      for (const next of [
        { ...sz, tokens: sz.tokens + 2, dk: sz.dk + 2 },
        { ...sz, tokens: 1, dk: 1 },
      ]) {
        const r = e.resize(attn, structuredClone(s), next);
        assert.deepEqual(e.sizes(r), { ...sz, ...next }, `${e.id}: sizes after resize`);
        assert.equal(checkState(r), null);
        if (r.labels.queries) assert.equal(r.labels.queries.length, next.tokens);
        checkSteps(`${e.id} resized`, e.compute(attn, r, en));
      }
    });
  }

  if (e.randomise) {
    test(`${e.id}: randomise draws new inputs of the same shapes, the same for the same seed`, () => {
      const s = e.defaults(attn);
      const a = e.randomise(attn, structuredClone(s), 1007),
        b = e.randomise(attn, structuredClone(s), 1007);
      assert.deepEqual(a, b, 'seeded');
      assert.notDeepEqual(a.inputs, s.inputs);
      for (const [k, m] of Object.entries(s.inputs))
        assert.deepEqual(shape(a.inputs[k]), shape(m), `${e.id}.inputs.${k}`);
      checkSteps(`${e.id} randomised`, e.compute(attn, a, en));
    });
  }
}

test('multi-head writes out every head of a concatenation up to 4, and elides the middle from 5 on', () => {
  const e = exampleById('multi-head');
  const tex = (heads, id) => {
    const s = e.defaults(attn);
    s.options.heads = heads;
    return e.compute(attn, s, en).steps.find((st) => st.id === id).tex;
  };
  assert.match(tex(2, 'split'), /^Q = \[\\,Q_\{1\} \\mid Q_\{2\}\\,\]/);
  assert.match(tex(2, 'concat'), /^H = \[\\,A_\{1\} V_\{1\} \\mid A_\{2\} V_\{2\}\\,\]$/);
  assert.match(tex(8, 'split'), /Q_\{2\} \\mid \\cdots \\mid Q_\{8\}/);
});

test('a Control sets its option on a copy of the state (the playground passes one)', () => {
  const e = exampleById('multi-head');
  const heads = e.controls.find((c) => c.key === 'heads');
  const s = e.defaults(attn);
  assert.deepEqual(
    heads.choices(s, en).map(([v]) => v),
    [1, 2, 4, 8],
  ); // D = 8
  heads.set(s, '4');
  assert.equal(s.options.heads, 4);
  const r = attn.multiHeadAttention(s.inputs.x, s.inputs.x, s.inputs.x, {
    numHeads: 4,
    wq: s.inputs.wq,
    wk: s.inputs.wk,
    wv: s.inputs.wv,
    wo: s.inputs.wo,
  });
  assert.deepEqual(e.compute(attn, s, en).steps.find((st) => st.id === 'heads').matrices.length, 4);
  assert.deepEqual(r.weights.shape, [4, 5, 5]);
  // D = 6 after a resize: 4 heads no longer divide it, so the example falls back to one head
  const resized = e.resize(attn, s, { ...e.sizes(s), dk: 6 });
  assert.equal(resized.options.heads, 1);
  assert.deepEqual(
    heads.choices(resized, en).map(([v]) => v),
    [1, 2],
  );
});

test('quadratic-cost: the heatmap is attn.downsample of the weights; past 2^24 weights the engine refuses, streaming goes on', () => {
  const e = exampleById('quadratic-cost');
  const s = e.defaults(attn);
  s.options.n = 256;
  s.options.reduce = 'max';
  const { steps } = e.compute(attn, s, en);
  assert.deepEqual(
    steps.map((st) => st.id),
    ['cost', 'memory', 'weights'],
  );
  const r = (seed) => attn.random([256, 64], { seed });
  const d = attn.downsample(attn.attention(r(1), r(2), r(3)).weights, { rows: 64, cols: 64, reduce: 'max' });
  const heat = steps[2].matrices[0];
  assert.deepEqual(heat.values, d.values.toArray());
  assert.equal(heat.rows[1], `q${d.rowEdges.data[1] + 1}–${d.rowEdges.data[2]}`); // q5–8: the block's rows, from 1
  assert.equal(heat.rows[1], 'q5–8');
  // the chart: one point per N = 64, 128, 256, memory from the engine (the [N, N] weights dominate)
  const memory = steps[1].chart;
  assert.deepEqual(memory.x, [64, 128, 256]);
  const [materialised, streaming] = memory.series.map((x) => x.values);
  // streaming holds q, k, v and the output (4 · N · d floats); materialised also the N² weights
  assert.ok(streaming[2] >= 4 * 256 * 64 * 4 && streaming[2] < 4 * 256 * 64 * 4 + 65536, `${streaming[2]} bytes`);
  assert.ok(
    Math.abs(materialised[2] - streaming[2] - 256 * 256 * 4) < 1024,
    `${materialised[2]} bytes with the weights`,
  );

  s.options.n = 8192;
  const big = e.compute(attn, s, en).steps;
  assert.ok(
    big[1].note.includes(
      `From N = 8192 on, the engine refuses to build the [N, N] weights with a RangeError: no tensor may hold more than ${attn.limits.maxElements} elements.`,
    ),
    big[1].note,
  );
  assert.throws(
    () => attn.attention(...[1, 2, 3].map((seed) => attn.random([8192, 64], { seed })), { weights: true }),
    RangeError,
  );
  assert.equal(big[1].chart.series[1].values.length, 8, 'streaming measured up to 8192');
  assert.ok(Number.isNaN(big[1].chart.series[0].values[7]), 'no materialised point at 8192');
  assert.match(big[2].title, /\[4096, 4096\]/, 'the largest weights that could be built');
  assert.throws(() => e.compute(attn, { ...s, options: { n: 1000, reduce: 'mean' } }, en), RangeError);
});
