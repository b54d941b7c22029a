// The playground's state in the URL hash (web/components/state.js), in Node without a browser:
// the link format, round trips, and every way a hostile or broken link is refused (a message and
// the example's default, never an exception, never a polluted prototype). The browser suite checks
// that the page shows the message (playground.test.mjs); this one checks the decoder itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkState, decodeHash, encodeState, MAX_HASH } from '../../web/components/state.js';
import { SEED_W, SEED_X } from '../../web/components/examples/self-attention.js';

const TOKENS = 64; // SIZE_LIMITS.tokens: the most labels per axis
const LENGTH = 512; // the longest numeric list (the larger of the token limit and 512)

const state = (extra = {}) => ({
  labels: { queries: ['x₁', 'x₂', 'x₃'] },
  inputs: {
    x: SEED_X,
    wq: SEED_W,
  },
  options: { scoring: 'scaled_dot', mask: 'valid', validLens: [3, 1, 2], temperature: 0.5, fill: -1e6 },
  ...extra,
});
const link = (json, example = 'self-attention') =>
  `#example=${example}&state=${Buffer.from(json).toString('base64url')}`;

test('the link is #example=<id>&state=<base64url(JSON)>, without padding', () => {
  const s = state();
  const hash = encodeState('self-attention', s);
  assert.equal(hash, `#example=self-attention&state=${Buffer.from(JSON.stringify(s)).toString('base64url')}`);
  assert.doesNotMatch(hash.split('&state=')[1], /[+/=]/);
  assert.equal(encodeState('a b&c', {}), '#example=a%20b%26c&state=e30');
});

test('round trips: unicode labels, -Infinity, precision, the bytes that base64url changes', () => {
  const cases = [
    state(),
    state({ precision: 6 }),
    state({ labels: { queries: ['汤姆', '追逐', '杰瑞'], keys: ['Tom', 'chase', 'Jerry', '<b>&"\''] } }),
    state({
      options: {
        fill: -Infinity,
        cells: [
          [1, 0],
          [0, 1],
        ],
        mode: 'sample',
        seed: 42,
      },
    }),
    state({
      inputs: {
        x: [
          [-0.5, 1e-30, 3.4e38],
          [-3.4e38, 0, 1],
        ],
      },
    }),
    // "??>" and "???" are "Pz8+" and "Pz8/" in plain base64
    state({ labels: { queries: ['??>', '???'] } }),
    // a token typed as "-Infinity" stays text, though -Infinity numbers are written the same way
    state({ labels: { queries: ['-Infinity', 'Infinity', 'NaN'] }, options: { fill: -Infinity } }),
    state({ inputs: { x: [Array.from({ length: LENGTH }, (_, i) => i / 7)] } }),
  ];
  for (const s of cases) {
    const decoded = decodeHash(encodeState('causal-mask', s));
    assert.equal(decoded.error, undefined, JSON.stringify(s).slice(0, 80));
    assert.deepEqual(decoded, { example: 'causal-mask', state: s });
  }
});

test('a bare or empty hash is no state; a deep link without state is the example', () => {
  assert.deepEqual(decodeHash(''), { example: null, state: null });
  assert.deepEqual(decodeHash('#'), { example: null, state: null });
  assert.deepEqual(decodeHash(undefined), { example: null, state: null });
  assert.deepEqual(decodeHash('#example=multi-head'), { example: 'multi-head', state: null });
  assert.deepEqual(decodeHash('#example=why-scale&other=1'), { example: 'why-scale', state: null });
});

test('an unknown example is refused with its name cut to 40 characters', () => {
  const r = decodeHash(`#example=${'x'.repeat(100)}`);
  assert.equal(r.example, null);
  assert.match(r.error, /^Unknown example “x{40}”; showing the first one\.$/);
  for (const id of ['nope', '__proto__', 'constructor', 'toString', 'Self-Attention', ' self-attention', '']) {
    const r2 = decodeHash(`#example=${encodeURIComponent(id)}`);
    assert.equal(r2.example, null, id);
    assert.match(r2.error, /^Unknown example/, id);
  }
  // an unknown example with a state: the state is not read
  assert.match(decodeHash(link(JSON.stringify(state()), 'nope')).error, /^Unknown example “nope”/);
});

test('oversized: refused by its length before anything is parsed', () => {
  const long = `#example=self-attention&state=${'A'.repeat(MAX_HASH)}`;
  assert.deepEqual(decodeHash(long), {
    error: `The link is too long (${long.length} characters; at most ${MAX_HASH}).`,
    example: null,
  });
  // even a valid state, padded past the limit by an ignored parameter
  const valid = encodeState('self-attention', state());
  assert.match(decodeHash(`${valid}&pad=${'a'.repeat(MAX_HASH)}`).error, /^The link is too long/);
  assert.equal(decodeHash(`${valid}&pad=${'a'.repeat(MAX_HASH - valid.length - 5)}`).error, undefined);
});

test('malformed: not base64, not UTF-8, not JSON; the example is kept', () => {
  const unreadable = /^The link's state could not be read \(.+\); showing the example's default\.$/;
  const hashes = [
    '#example=self-attention&state=%%%not-base64',
    '#example=self-attention&state=A', // base64 of no whole byte
    `#example=self-attention&state=${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}`, // not UTF-8
    link('{"labels": '),
    link('{labels: {}}'),
    link(''),
    link('NaN'),
  ];
  for (const hash of hashes) {
    const r = decodeHash(hash);
    assert.equal(r.example, 'self-attention', hash);
    assert.equal(r.state, undefined, hash);
    assert.match(r.error, unreadable, hash);
  }
});

test('__proto__, constructor and prototype keys are refused at any depth, and nothing is polluted', () => {
  const hostile = [
    '{"__proto__": {"polluted": true}}',
    '{"labels": {"__proto__": {"polluted": true}}, "inputs": {}, "options": {}}',
    '{"labels": {}, "inputs": {}, "options": {"constructor": {"prototype": {"polluted": true}}}}',
    '{"labels": {}, "inputs": {"x": [[{"prototype": 1}]]}, "options": {}}',
  ];
  for (const json of hostile) {
    const r = decodeHash(link(json));
    assert.match(
      r.error,
      /^The link's state could not be read \(forbidden key “(__proto__|constructor|prototype)”\)/,
      json,
    );
    assert.equal(r.state, undefined);
  }
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
  // a key that merely contains the word is data
  const s = state({ labels: { proto: ['__proto__'], __proto: ['a'] } });
  assert.deepEqual(decodeHash(encodeState('self-attention', s)).state, s);
});

test('wrong types and sizes: a reason naming the field, and the example default', () => {
  const refused = [
    ['[]', 'not an object'],
    ['null', 'not an object'],
    ['1', 'not an object'],
    ['"state"', 'not an object'],
    ['{"labels": {}, "inputs": {}, "options": {}, "extra": 1}', 'unknown field “extra”'],
    [`{"labels": {}, "inputs": {}, "options": {}, "${'e'.repeat(50)}": 1}`, `unknown field “${'e'.repeat(20)}”`],
    ['{"labels": {}, "inputs": {}, "options": {}, "precision": 7}', 'precision must be 2–6'],
    ['{"labels": {}, "inputs": {}, "options": {}, "precision": 1}', 'precision must be 2–6'],
    ['{"labels": {}, "inputs": {}, "options": {}, "precision": 3.5}', 'precision must be 2–6'],
    ['{"labels": {}, "inputs": {}, "options": {}, "precision": "4"}', 'precision must be 2–6'],
    ['{"inputs": {}, "options": {}}', 'labels, inputs and options must be objects'],
    ['{"labels": [], "inputs": {}, "options": {}}', 'labels, inputs and options must be objects'],
    ['{"labels": {}, "inputs": null, "options": {}}', 'labels, inputs and options must be objects'],
    ['{"labels": {}, "inputs": {}, "options": "soft"}', 'labels, inputs and options must be objects'],
    ['{"labels": {"q": "abc"}, "inputs": {}, "options": {}}', `labels.q must be at most ${TOKENS} strings`],
    ['{"labels": {"q": [1]}, "inputs": {}, "options": {}}', `labels.q must be at most ${TOKENS} strings`],
    [
      `{"labels": {"q": ${JSON.stringify(Array(TOKENS + 1).fill('a'))}}, "inputs": {}, "options": {}}`,
      `labels.q must be at most ${TOKENS} strings`,
    ],
    [
      `{"labels": {"q": ["${'a'.repeat(65)}"]}, "inputs": {}, "options": {}}`,
      `labels.q must be at most ${TOKENS} strings`,
    ],
    ['{"labels": {}, "inputs": {"x": "1"}, "options": {}}', 'inputs.x: not a number'],
    ['{"labels": {}, "inputs": {"x": [[1, null]]}, "options": {}}', 'inputs.x: not a number'],
    ['{"labels": {}, "inputs": {"x": [[true]]}, "options": {}}', 'inputs.x: not a number'],
    ['{"labels": {}, "inputs": {"x": [[1], {"0": 1}]}, "options": {}}', 'inputs.x: not a number'],
    ['{"labels": {}, "inputs": {"x": []}, "options": {}}', 'inputs.x: empty or too large'],
    ['{"labels": {}, "inputs": {"x": [[]]}, "options": {}}', 'inputs.x: empty or too large'],
    [
      `{"labels": {}, "inputs": {"x": ${JSON.stringify(Array(LENGTH + 1).fill(0))}}, "options": {}}`,
      'inputs.x: empty or too large',
    ],
    ['{"labels": {}, "inputs": {"x": [[[[1]]]]}, "options": {}}', 'inputs.x: nested too deeply'],
    [`{"labels": {}, "inputs": {}, "options": {"mode": "${'s'.repeat(33)}"}}`, 'options.mode is too long'],
    ['{"labels": {}, "inputs": {}, "options": {"cells": {"a": 1}}}', 'options.cells must not be an object'],
    ['{"labels": {}, "inputs": {}, "options": {"cells": [["1"]]}}', 'options.cells: not a number'],
    ['{"labels": {}, "inputs": {}, "options": {"cells": []}}', 'options.cells: empty or too large'],
  ];
  for (const [json, reason] of refused) {
    const r = decodeHash(link(json));
    assert.equal(r.example, 'self-attention', json.slice(0, 60));
    assert.equal(r.state, undefined, json.slice(0, 60));
    assert.equal(
      r.error,
      `The link's state is not valid (${reason}); showing the example's default.`,
      json.slice(0, 60),
    );
    assert.equal(checkState(JSON.parse(json)), reason);
  }
});

test('the largest state the limits allow is accepted', () => {
  const s = {
    labels: { queries: Array(TOKENS).fill('a'.repeat(64)) },
    inputs: { x: [[[Array(4).fill(1)]]].flat(), big: [Array(LENGTH).fill(1.5)] },
    options: { mode: 's'.repeat(32), cells: [[1, 0]], temperature: 2, causal: true, nothing: null },
    precision: 2,
  };
  assert.equal(checkState(s), null);
  assert.deepEqual(decodeHash(encodeState('self-attention', s)), { example: 'self-attention', state: s });
});
