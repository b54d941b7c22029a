// Reading matrices as people publish them (web/lib/parse.js, as attn.parseMatrix and
// attn.parseWorkedExample): each input format, the decimals each matrix was printed with, labelled
// pastes and chains, and the message of every kind of unreadable text, with its line and column.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../web/lib/api.js';
import { ARTICLE } from '../../web/components/examples/check-compute.js';
import { SEED_W, SEED_X } from '../../web/components/examples/self-attention.js';

let attn;
before(async () => {
  attn = await init();
});

const W = SEED_W;
const SQRT_HALF = 1 / Math.sqrt(2); // as the text says it: \frac{1}{\sqrt{2}}

/** parseMatrix's rows and decimals. */
function read(text) {
  const m = attn.parseMatrix(text);
  return { rows: [...m.map((r) => [...r])], decimals: m.decimals };
}

test('NumPy and PyTorch reprs: array(…) with dtype, tensor(…) with grad_fn, printed without commas', () => {
  assert.deepEqual(read('array([[0.5 , 0.25],\n       [1.  , 0.  ]], dtype=float32)'), {
    rows: [
      [0.5, 0.25],
      [1, 0],
    ],
    decimals: 2,
  });
  assert.deepEqual(read('np.array([[1, 0], [0, 1]])'), {
    rows: [
      [1, 0],
      [0, 1],
    ],
    decimals: null,
  });
  assert.deepEqual(read('tensor([[0.4011, 0.1978, 0.4011]], grad_fn=<SoftmaxBackward0>)'), {
    rows: [[0.4011, 0.1978, 0.4011]],
    decimals: 4,
  });
  assert.deepEqual(read('torch.tensor([[1.5000e-01, -2.0000e+00]])'), { rows: [[0.15, -2]], decimals: 4 });
  // print(x) of a NumPy array: spaces between numbers, "1." for whole numbers (exact)
  assert.deepEqual(read('[[1. 0.]\n [0. 1.]\n [1. 1.]]'), { rows: W, decimals: null });
});

test('JSON and JS nested arrays; one row as a flat list', () => {
  assert.deepEqual(read('[[1, 0], [0, 1], [1, 1]]'), { rows: W, decimals: null });
  assert.deepEqual(read('[1, 2.50, -3]'), { rows: [[1, 2.5, -3]], decimals: 2 });
  assert.deepEqual(read('[[1/2, −0.5], [.25, 1e-1]]').rows, [
    [0.5, -0.5],
    [0.25, 0.1],
  ]);
});

test('Markdown tables: the header row and the row labels are skipped', () => {
  const table = '|    | k1 | k2 |\n|----|---:|:--:|\n| q1 | 0.5 | −0.25 |\n| q2 | $\\frac{1}{2}$ | 2 |';
  assert.deepEqual(read(table), {
    rows: [
      [0.5, -0.25],
      [0.5, 2],
    ],
    decimals: 2,
  });
  assert.deepEqual(read('| 1 | 2 |\n| 3 | 4 |').rows, [
    [1, 2],
    [3, 4],
  ]);
});

test('LaTeX: bmatrix, pmatrix and array; \\frac, \\tfrac12, \\dfrac, \\sqrt; a scalar factor before the matrix', () => {
  assert.deepEqual(read('\\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\\\ 1 & 1 \\end{bmatrix}'), { rows: W, decimals: null });
  assert.deepEqual(
    read('\\begin{pmatrix} \\tfrac12 & \\dfrac{1}{4} \\\\ \\sqrt{4} & -\\frac{3}{2} \\\\ \\end{pmatrix}'),
    {
      rows: [
        [0.5, 0.25],
        [2, -1.5],
      ],
      decimals: null,
    },
  );
  assert.deepEqual(read('\\begin{array}{cc} 0.10 & 2\\sqrt2 \\\\ 1/4 & \\frac1{\\sqrt 4} \\end{array}').rows, [
    [0.1, 2 * Math.SQRT2],
    [0.25, 0.5],
  ]);
  const scaled = read('$$\\frac{1}{\\sqrt{2}}\\begin{bmatrix} 1 & 0 \\\\ 0 & 2 \\end{bmatrix}$$');
  assert.deepEqual(scaled, {
    rows: [
      [SQRT_HALF, 0],
      [0, 2 * SQRT_HALF],
    ],
    decimals: null,
  });
  assert.deepEqual(read('0.5 \\begin{bmatrix} 2 & 4 \\end{bmatrix}'), { rows: [[1, 2]], decimals: 1 });
});

test('rows of numbers separated by spaces or commas; fractions and the Unicode minus', () => {
  assert.deepEqual(read('1 0\n0 1\n1 1\n'), { rows: W, decimals: null });
  assert.deepEqual(read('0.4011, 0.1978\n−0.25, 1/2'), {
    rows: [
      [0.4011, 0.1978],
      [-0.25, 0.5],
    ],
    decimals: 4,
  });
});

test('unreadable text: a SyntaxError with the line and column of the problem', () => {
  const cases = [
    ['[[1, 2],\n [3, x]]', 'line 2, column 6: expected a number, got “x”'],
    ['\\begin{bmatrix} 1 & 0 \\\\\n 0 & y \\end{bmatrix}', 'line 2, column 6: expected a number, got “y”'],
    ['\\begin{bmatrix} 1 & & 0 \\end{bmatrix}', 'line 1, column 20: expected a number, got an empty entry'],
    ['\\begin{bmatrix} 1 & 0', 'line 1, column 1: “\\begin{bmatrix}” has no matching \\end{bmatrix}'],
    [
      '\\begin{tabular} 1 \\end{tabular}',
      'line 1, column 1: expected \\begin{bmatrix}, pmatrix, matrix or array, got “\\begin{tabular}”',
    ],
    ['[[1, 2], [3, 4]', 'line 1, column 1: this “[” is never closed'],
    ['[[1, 2]] and more', 'line 1, column 10: unexpected “and more” after the matrix'],
    [
      'softmax \\begin{bmatrix} 1 \\end{bmatrix}',
      'line 1, column 1: expected a matrix or a number before it, got “softmax”',
    ],
    ['hello', 'line 1, column 1: no matrix found at “hello”'],
    ['', 'line 1, column 1: no matrix found: the text is empty'],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => attn.parseMatrix(text),
      (e) => e instanceof SyntaxError && e.message.startsWith(message),
      `${JSON.stringify(text)} → ${message}`,
    );
  }
  const e = (() => {
    try {
      attn.parseMatrix('1 2\n3 4\n5 ?');
    } catch (x) {
      return x;
    }
  })();
  assert.ok(e instanceof SyntaxError && e.message === 'line 3, column 3: expected a number, got “?”', e.message);
  assert.deepEqual([e.line, e.column], [3, 3]);
});

test('ragged rows, three axes and a division by zero: a RangeError with the line and column', () => {
  assert.throws(() => attn.parseMatrix('[[1, 2],\n [3]]'), {
    name: 'RangeError',
    message: 'line 2, column 2: row 2 has 1 entry, row 1 has 2: rows must have the same length',
  });
  assert.throws(() => attn.parseMatrix('\\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}'), {
    name: 'RangeError',
    message: /^line 1, column 25: row 2 has 1 entry/,
  });
  assert.throws(() => attn.parseMatrix('1 2 3\n4 5'), {
    name: 'RangeError',
    message: /^line 2, column 1: row 2 has 2 entries, row 1 has 3/,
  });
  assert.throws(() => attn.parseMatrix('[[[1]]]'), {
    name: 'RangeError',
    message: /^line 1, column 3: a matrix has two axes/,
  });
  assert.throws(() => attn.parseMatrix('[[1, 1/0]]'), { name: 'RangeError', message: /division by zero/ });
  assert.throws(() => attn.parseMatrix(42), { name: 'TypeError', message: 'text: expected a string, got number' });
  assert.throws(() => attn.parseWorkedExample(null), {
    name: 'TypeError',
    message: 'text: expected a string, got null',
  });
});

test("a labelled paste splits into named matrices, whatever each one's format", () => {
  const text = [
    'X = [[1, 0], [0, 1]]',
    'W_Q = array([[1., 0.], [0., 1.]])',
    'W^K = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}',
    'Wv =',
    '1 0',
    '0 1',
    '',
    'The projections, where d_k = 2:',
    'Q =',
    '| | a | b |',
    '|--|--|--|',
    '| x1 | 1 | 0 |',
    '| x2 | 0 | 1 |',
    '',
    'QK^T = [[1, 0], [0, 1]]',
    '\\text{scores} = \\frac{1}{\\sqrt{2}}\\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}',
    'softmax = tensor([[0.6698, 0.3302], [0.3302, 0.6698]])  # rounded to 4 decimals, where d_k = 2',
    'output = [[0.6698, 0.3302], [0.3302, 0.6698]]',
  ].join('\n');
  const c = attn.parseWorkedExample(text);
  const I = [
    [1, 0],
    [0, 1],
  ];
  assert.deepEqual(Object.keys(c), ['x', 'wq', 'wk', 'wv', 'q', 'qk', 'scores', 'weights', 'output']);
  for (const name of ['x', 'wq', 'wk', 'wv', 'q', 'qk']) assert.deepEqual(c[name], I, name);
  assert.deepEqual(c.scores, [
    [SQRT_HALF, 0],
    [0, SQRT_HALF],
  ]);
  assert.deepEqual(c.weights, [
    [0.6698, 0.3302],
    [0.3302, 0.6698],
  ]);
  assert.equal(c.weights.decimals, 4);
  assert.equal(c.x.decimals, null);
});

test('names as articles write them; chains; a product or softmax(…) is not a claim', () => {
  const c = attn.parseWorkedExample(
    [
      '$$\\mathbf{X} = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}$$',
      '\\[ W^Q = W^K = W^V = \\begin{bmatrix} 2 & 0 \\\\ 0 & 2 \\end{bmatrix} \\]',
      '\\[ Q = XW^Q = \\begin{bmatrix} 2 & 0 \\\\ 0 & 2 \\end{bmatrix}, \\quad K = XW^K = [[2, 0], [0, 2]] \\]',
      'Q K^\\top = [[4, 0], [0, 4]]',
      '\\text{Attention\\_Weights} = \\text{softmax}\\left(\\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}\\right)',
      'A = [[0.9, 0.1], [0.1, 0.9]]',
      '\\text{Output} = A V = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix} \\begin{bmatrix} 2 & 0 \\\\ 0 & 2 \\end{bmatrix} = [[1.8, 0.2], [0.2, 1.8]]',
    ].join('\n'),
  );
  const two = [
    [2, 0],
    [0, 2],
  ];
  assert.deepEqual(c, {
    x: [
      [1, 0],
      [0, 1],
    ],
    wq: two,
    wk: two,
    wv: two,
    q: two,
    k: two,
    qk: [
      [4, 0],
      [0, 4],
    ],
    weights: [
      [0.9, 0.1],
      [0.1, 0.9],
    ],
    output: [
      [1.8, 0.2],
      [0.2, 1.8],
    ],
  });
  // the only weights claim was softmax(…) of a matrix: no claim at all
  assert.equal(
    attn.parseWorkedExample('X = [[1]]\nweights = \\text{softmax}\\left(\\begin{bmatrix} 1 \\end{bmatrix}\\right)')
      .weights,
    undefined,
  );
});

test('the source article, as it prints it: every published matrix, the 2 × 3 scores scaled by 1/√2', () => {
  const c = attn.parseWorkedExample(ARTICLE);
  const published = [
    [1, 0],
    [0, 1],
    [0, 0],
  ];
  assert.deepEqual(c.x, SEED_X);
  for (const n of ['wq', 'wk', 'wv']) assert.deepEqual(c[n], W, n);
  for (const n of ['q', 'k', 'v']) assert.deepEqual(c[n], published, n);
  assert.equal(c.qk, undefined); // the article goes straight to the scaled scores
  assert.deepEqual(c.scores, [
    [SQRT_HALF, 0, 0],
    [0, SQRT_HALF, 0],
  ]);
  assert.deepEqual(c.weights, [
    [0.5, 0.5, 0],
    [0, 0.5, 0.5],
  ]);
  assert.deepEqual(c.output, [
    [0.5, 0.5],
    [0, 0],
  ]);
  for (const n of Object.keys(c)) assert.equal(c[n].decimals, null, `${n}: exact (integers and fractions)`);
});

test('a paste without labels: a SyntaxError that says how to label', () => {
  assert.throws(() => attn.parseWorkedExample('[[1, 0], [0, 1]]'), {
    name: 'SyntaxError',
    message: /^line 1, column 1: no labelled matrix found: start each matrix with its name/,
  });
  assert.throws(() => attn.parseWorkedExample('X = [[1, 0],\n     [0, z]]'), {
    name: 'SyntaxError',
    message: 'line 2, column 10: expected a number, got “z”',
  });
});
