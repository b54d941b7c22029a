// The worked example page: reads the inputs, asks the engine for every step, renders the matrices.
// No arithmetic here: the numbers come from attn.selfAttention and attn.score.
import { init } from './lib/index.js';

const DIGITS = 4;
const W0 = [[1, 0], [0, 1], [1, 1]];
const state = {
  x: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  wq: structuredClone(W0),
  wk: structuredClone(W0),
  wv: structuredClone(W0),
};
const TOKENS = ['x₁', 'x₂', 'x₃'];

// What the article printed, quoted as published (these are text, not computed).
const PUBLISHED = {
  q: '[[1, 0], [0, 1], [0, 0]]',
  scores: '(1/√2) · [[1, 0, 0], [0, 1, 0]]  (2 × 3)',
  weights: '[[½, ½, 0], [0, ½, ½]]',
  output: '[[½, ½], [0, 0]]',
};

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

/** A captioned matrix; `edit(i, j, value)` makes its cells inputs. */
function matrix(caption, rows, { rowLabels, edit } = {}) {
  const table = el('table', { class: 'matrix' });
  table.append(el('caption', {}, [caption]));
  const body = el('tbody');
  rows.forEach((row, i) => {
    const tr = el('tr');
    if (rowLabels) tr.append(el('th', { scope: 'row' }, [rowLabels[i]]));
    row.forEach((v, j) => {
      if (edit) {
        const input = el('input', {
          value: String(v), inputMode: 'decimal', 'aria-label': `${caption} row ${i + 1} column ${j + 1}`,
        });
        input.addEventListener('input', () => edit(i, j, input));
        tr.append(el('td', {}, [input]));
      } else {
        tr.append(el('td', { class: 'num' }, [v.toFixed(DIGITS)]));
      }
    });
    body.append(tr);
  });
  table.append(body);
  return el('figure', { class: 'figure' }, [table, el('figcaption', {}, [`${rows.length} × ${rows[0].length}`])]);
}

function editor(name, caption) {
  return matrix(caption, state[name], {
    rowLabels: name === 'x' ? TOKENS : undefined,
    edit(i, j, input) {
      const value = input.value.trim() === '' ? NaN : Number(input.value);
      if (!Number.isFinite(value)) {
        input.setAttribute('aria-invalid', 'true');
        showError(`${caption}: “${input.value}” is not a number; the steps below still show the last valid input.`);
        return;
      }
      input.removeAttribute('aria-invalid');
      state[name][i][j] = value;
      update();
    },
  });
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

let attn;

function update() {
  let r;
  let qk;
  try {
    r = attn.selfAttention(state.x, { wq: state.wq, wk: state.wk, wv: state.wv });
    qk = attn.score(r.q, r.k, { scoring: 'dot' });
  } catch (e) {
    showError(e.message);
    return;
  }
  showError(document.querySelector('[aria-invalid]') ? $('error').textContent : '');
  $('projections').replaceChildren(
    matrix('Q = X W_Q', r.q.toArray(), { rowLabels: TOKENS }),
    matrix('K = X W_K', r.k.toArray(), { rowLabels: TOKENS }),
    matrix('V = X W_V', r.v.toArray(), { rowLabels: TOKENS }),
  );
  $('scores').replaceChildren(
    matrix('Q Kᵀ', qk.toArray(), { rowLabels: TOKENS }),
    matrix('Q Kᵀ / √d_k', r.scores.toArray(), { rowLabels: TOKENS }),
  );
  $('weights').replaceChildren(matrix('softmax(Q Kᵀ / √d_k)', r.weights.toArray(), { rowLabels: TOKENS }));
  $('output').replaceChildren(matrix('weights · V', r.output.toArray(), { rowLabels: TOKENS }));
}

function renderErratum() {
  const r = attn.selfAttention([[1, 0, 0], [0, 1, 0], [0, 0, 1]], { wq: W0, wk: W0, wv: W0 });
  const rows = [
    ['Q = K = V', PUBLISHED.q, r.q],
    ['scores', PUBLISHED.scores, r.scores],
    ['weights', PUBLISHED.weights, r.weights],
    ['output', PUBLISHED.output, r.output],
  ];
  const table = el('table', { class: 'compare' });
  table.append(el('thead', {}, [el('tr', {}, [
    el('th', { scope: 'col' }, ['step']), el('th', { scope: 'col' }, ['published']),
    el('th', { scope: 'col' }, ['correct (engine)']),
  ])]));
  const body = el('tbody');
  for (const [step, published, tensor] of rows) {
    const correct = JSON.stringify(tensor.toArray().map((row) => row.map((v) => Number(v.toFixed(DIGITS)))));
    body.append(el('tr', {}, [
      el('th', { scope: 'row' }, [step]), el('td', { class: 'wrong' }, [published]),
      el('td', { class: 'right' }, [`${correct}  (${tensor.shape.join(' × ')})`]),
    ]));
  }
  table.append(body);
  $('erratum').replaceChildren(table);
}

async function start() {
  try {
    attn = await init();
  } catch (e) {
    $('engine').textContent = 'the engine failed to load';
    showError(e.message);
    return;
  }
  $('engine').textContent = `Engine: WebAssembly ${attn.simd ? 'SIMD128' : 'scalar'} build.`;
  $('inputs').replaceChildren(
    editor('x', 'X'), editor('wq', 'W_Q'), editor('wk', 'W_K'), editor('wv', 'W_V'),
  );
  update();
  renderErratum();
  document.body.dataset.ready = 'true';
}

start();
