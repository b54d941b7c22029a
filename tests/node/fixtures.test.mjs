// The public JS API against PyTorch golden values (tests/fixtures/golden.json, made by
// tests/fixtures/make_fixtures.py: float64 references computed by torch from float32 inputs).
// Every case runs on both builds: init() (SIMD where supported) and init({ simd: false }) (scalar).
//
// Case format (see the docstring of make_fixtures.py):
//   { name, fn, args: [...], options: {...}, expected: nested array | { field: nested array | {...} } }
// called as attn[fn](...args, options). "-Infinity" strings stand for -Infinity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from 'attention-playground';

const golden = JSON.parse(readFileSync(new URL('../fixtures/golden.json', import.meta.url), 'utf8'));

const ATOL = 1e-6;
const RTOL = 1e-5;

/** Replaces the strings JSON cannot hold ("-Infinity") with numbers, recursively. */
function revive(value) {
  if (value === '-Infinity') return -Infinity;
  if (value === 'Infinity') return Infinity;
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

/** Shape and row-major values of a (rectangular) nested array. */
function flatten(nested) {
  const shape = [];
  for (let a = nested; Array.isArray(a); a = a[0]) shape.push(a.length);
  const data = Array.isArray(nested) ? nested.flat(Infinity) : [nested];
  return { shape, data };
}

function isTensor(t) {
  return t !== null && typeof t === 'object' && t.data instanceof Float32Array && Array.isArray(t.shape);
}

/** Compares a result Tensor with an expected nested array; `where` names the case and field. */
function compareTensor(got, want, where) {
  assert.ok(
    isTensor(got),
    `${where}: expected a Tensor { data: Float32Array, shape }, got ${got === null ? 'null' : typeof got}`,
  );
  const { shape, data } = flatten(want);
  assert.deepEqual(got.shape, shape, `${where}: shape [${got.shape}] != expected [${shape}]`);
  assert.equal(got.data.length, data.length, `${where}: ${got.data.length} values, expected ${data.length}`);
  for (let i = 0; i < data.length; i++) {
    const g = got.data[i];
    const w = data[i];
    const ok = w === -Infinity || w === Infinity ? g === w : Math.abs(g - w) <= ATOL + RTOL * Math.abs(w);
    if (!ok) {
      assert.fail(
        `${where}: index ${i} (of shape [${shape}]): got ${g}, expected ${w} ` +
          `(|diff| ${Math.abs(g - w)} > ${ATOL} + ${RTOL}·|expected|)`,
      );
    }
  }
}

/** Compares every field in `want` (recursing into objects such as `steps`) with `got`. */
function compareFields(got, want, where) {
  if (Array.isArray(want) || typeof want === 'number') {
    compareTensor(got, want, where);
    return;
  }
  assert.ok(got !== null && typeof got === 'object', `${where}: expected an object, got ${got}`);
  for (const [field, value] of Object.entries(want)) {
    assert.ok(field in got, `${where}: result has no field '${field}' (fields: ${Object.keys(got).join(', ')})`);
    compareFields(got[field], value, `${where}.${field}`);
  }
}

const BUILDS = [
  ['default (init())', () => init()],
  ['scalar (init({ simd: false }))', () => init({ simd: false })],
];

test('golden.json is well formed', () => {
  assert.ok(Array.isArray(golden.cases) && golden.cases.length > 0, 'golden.json has no cases');
  const names = new Set();
  for (const c of golden.cases) {
    assert.ok(!names.has(c.name), `duplicate case name ${c.name}`);
    names.add(c.name);
    for (const key of ['name', 'fn', 'args', 'options', 'expected']) assert.ok(key in c, `${c.name}: no '${key}'`);
  }
});

for (const [label, load] of BUILDS) {
  test(`PyTorch golden fixtures, ${label}`, async (t) => {
    const attn = await load();
    for (const c of golden.cases) {
      await t.test(c.name, () => {
        assert.equal(typeof attn[c.fn], 'function', `${c.name}: the engine has no method '${c.fn}'`);
        const args = revive(c.args);
        const options = revive(c.options);
        const result = attn[c.fn](...args, options);
        compareFields(result, revive(c.expected), `${c.name} [${attn.isa ?? label}]`);
      });
    }
  });
}
