// The exports (web/components/exporters.js) in Node: the exact text of CSV, JSON, NumPy, PyTorch
// and Markdown for small matrices, quoting and names, -0 and -Infinity, the refusal of NaN and
// +Infinity; and the NumPy code run by /usr/bin/python3 (python3-numpy, a test dependency), which
// must rebuild the float32 matrix bit for bit. (The browser suite checks the export menu end to end: controls.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toCSV, toJSON, toLatexMatrix, toMarkdown, toNumPy, toPyTorch } from '../../web/components/exporters.js';
import { float32String } from '../../web/components/format.js';
import { rng } from '../support/random.mjs';

const FLT_MAX = 3.4028234663852886e38;
const EDGES = [
  [1, Math.fround(0.1), -0],
  [-Infinity, FLT_MAX, 2 ** -149],
];

test('CSV: header of column labels, quoted when they hold a comma, quote or newline; -0.0 and -inf kept', () => {
  assert.equal(
    toCSV(EDGES, { rows: ['a,b', 'say "hi"'], cols: ['x', 'y\nz', 'w'] }),
    ',x,"y\nz",w\n"a,b",1,0.1,-0.0\n"say ""hi""",-inf,3.4028235e+38,1e-45\n',
  );
  assert.equal(
    toCSV([
      [0.5, -2],
      [3, 4],
    ]),
    '0.5,-2\n3,4\n',
  );
  assert.equal(toCSV([Math.fround(1 / 3), 2]), '0.33333334,2\n', 'a vector is one row');
});

test('JSON: name, labels and values; -Infinity as null, -0 as 0 (JSON has neither)', () => {
  assert.equal(
    toJSON(EDGES, { name: 'A', rows: ['r1', 'r2'], cols: ['c1', 'c2', 'c3'] }),
    `${JSON.stringify(
      {
        name: 'A',
        rows: ['r1', 'r2'],
        cols: ['c1', 'c2', 'c3'],
        values: [
          [1, 0.1, 0],
          [null, 3.4028235e38, 1e-45],
        ],
      },
      null,
      2,
    )}\n`,
  );
  assert.deepEqual(JSON.parse(toJSON([[Math.fround(0.7)]])), { values: [[0.7]] });
});

test('NumPy and PyTorch: the exact code, names made valid identifiers', () => {
  assert.equal(
    toNumPy(EDGES, { name: 'A_{soft}' }),
    'import numpy as np\n\nA__soft_ = np.array([[1, 0.1, -0.0], [-np.inf, 3.4028235e+38, 1e-45]], dtype=np.float32)\n',
  );
  assert.equal(
    toPyTorch(EDGES, { name: 'weights' }),
    "import torch\n\nweights = torch.tensor([[1, 0.1, -0.0], [float('-inf'), 3.4028235e+38, 1e-45]], dtype=torch.float32)\n",
  );
  for (const [name, identifier] of [
    ['1st weights', '_1st_weights'],
    ['QKᵀ', 'QK_'],
    ['', 'm'],
    [undefined, 'm'],
    ['import', 'import'],
  ]) {
    assert.equal(toNumPy([1], { name }).split('\n')[2].split(' = ')[0], identifier, String(name));
  }
});

test('the NumPy code rebuilds the float32 matrix bit for bit under /usr/bin/python3; the PyTorch code is the same literal', () => {
  const next = rng(7);
  const wide = Array.from({ length: 4 }, () =>
    Array.from({ length: 5 }, () => Math.fround(next(-1, 1) * 10 ** Math.round(next(-40, 38)))),
  );
  const cases = {
    edges: EDGES,
    wide,
    batched: [
      [
        [0.25, -0.5],
        [-Infinity, 1e-30],
      ],
      [
        [2 ** -126, -(2 ** -149)],
        [65504, -FLT_MAX],
      ],
    ],
    vector: [Math.fround(Math.PI), -0, 0],
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attn-exporters-'));
  for (const [name, values] of Object.entries(cases)) {
    const bits = Array.from(new Uint32Array(Float32Array.from(values.flat(2)).buffer));
    const shape = [];
    for (let v = values; Array.isArray(v); v = v[0]) shape.push(v.length);
    const file = path.join(dir, `export_${name}.py`); // not numpy.py or random.py: those would shadow modules
    writeFileSync(
      file,
      `${toNumPy(values, { name })}\nprint(${name}.dtype, list(${name}.shape), ${name}.view(np.uint32).ravel().tolist())\n`,
    );
    const list = (a) => JSON.stringify(a).replace(/,/g, ', ');
    assert.equal(
      execFileSync('/usr/bin/python3', [file], { encoding: 'utf8' }),
      `float32 ${list(shape)} ${list(bits)}\n`,
      name,
    );
    // (python3-torch is not a test dependency: the PyTorch code is checked as the same literal)
    const literal = (code) => code.slice(code.indexOf(' = ') + 3);
    assert.equal(
      literal(toPyTorch(values, { name })),
      literal(toNumPy(values, { name }))
        .replace(/-np\.inf/g, "float('-inf')")
        .replace('np.array(', 'torch.tensor(')
        .replace('np.float32', 'torch.float32'),
      name,
    );
  }
});

test('NaN, +Infinity and non-numbers are refused with a RangeError naming the entry', () => {
  for (const exporter of [toCSV, toJSON, toNumPy, toPyTorch]) {
    assert.throws(
      () =>
        exporter([
          [1, 2],
          [3, NaN],
        ]),
      {
        name: 'RangeError',
        message: 'values[1][1] is NaN: only finite numbers and -Infinity (masked) can be exported',
      },
    );
    assert.throws(() => exporter([Infinity]), { name: 'RangeError', message: /^values\[0\] is Infinity/ });
    assert.throws(() => exporter([[1, '2']]), { name: 'RangeError', message: /^values\[0\]\[1\] is 2:/ });
    assert.throws(() => exporter([[null]]), { name: 'RangeError', message: /^values\[0\]\[0\] is null:/ });
  }
});

test('float32String: the shortest decimal that rebuilds every float32', () => {
  const next = rng(11);
  const words = new Uint32Array(20000);
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(next(0, 2 ** 32));
  const floats = new Float32Array(words.buffer);
  for (const x of floats) {
    if (!Number.isFinite(x)) continue;
    const s = float32String(x);
    assert.ok(Object.is(Math.fround(Number(s)), x), `${x} → ${s}`);
    const digits = s
      .replace(/^-/, '')
      .replace(/e.*$/, '')
      .replace('.', '')
      .replace(/^0+/, '')
      .replace(/0+$/, '').length;
    if (digits > 1)
      assert.notEqual(Math.fround(Number(x.toPrecision(digits - 1))), x, `${x} → ${s} is not the shortest`);
  }
});

test('Markdown: a heading per step, its formula, note and matrices in LaTeX; batches numbered', () => {
  const md = toMarkdown({
    title: 'Scores, step by step',
    summary: 'Two steps.',
    link: 'http://127.0.0.1:8080/#example=x',
    precision: 2,
    steps: [
      {
        title: 'Scores',
        tex: 'S = QK^\\top',
        note: 'Masked entries are −∞.',
        matrices: [
          {
            label: 'S',
            values: [
              [1, -0.5],
              [-Infinity, 2],
            ],
          },
        ],
      },
      { title: 'Batched', matrices: [{ label: 'A', values: [[[1]], [[0.25]]] }, { values: [1, -0] }] },
      { title: 'Empty' },
    ],
  });
  assert.equal(
    md,
    [
      '# Scores, step by step',
      '',
      'Two steps.',
      '',
      'Live version: http://127.0.0.1:8080/#example=x',
      '',
      '## Scores',
      '',
      '$$',
      'S = QK^\\top',
      '$$',
      '',
      'Masked entries are −∞.',
      '',
      '$$S = \\begin{bmatrix} 1.00 & -0.50 \\\\ -\\infty & 2.00 \\end{bmatrix}$$',
      '',
      '## Batched',
      '',
      '$$A_{1} = \\begin{bmatrix} 1.00 \\end{bmatrix}$$',
      '',
      '$$A_{2} = \\begin{bmatrix} 0.25 \\end{bmatrix}$$',
      '',
      '$$\\begin{bmatrix} 1.00 & 0.00 \\end{bmatrix}$$',
      '',
      '## Empty',
      '',
      '',
    ].join('\n'),
  );
  assert.equal(toLatexMatrix([[-1234567, 0.000049]], 4), '\\begin{bmatrix} -1.235e+6 & 0.0000 \\end{bmatrix}');
});
