// Checking a published worked example of scaled dot-product attention: every claimed matrix is
// compared with the engine's value of that step, the first wrong step is found, and each wrong
// step gets a diagnosis. The expected values and every alternative hypothesis (unscaled scores,
// scores divided by d_k, a softmax down the columns, a step recomputed from the claimed inputs)
// come from engine calls; this module only transposes arrays and compares numbers with the
// tolerance the claim's printed decimals allow. The diagnoses are written with a message function
// (web/i18n: the 'diag.' keys), English for the API (checker.js), the page's language on the page.

/** The steps, in the order they are checked. */
export const CHECK_STEPS = ['q', 'k', 'v', 'qk', 'scores', 'weights', 'output'];
const INPUTS = ['x', 'wq', 'wk', 'wv'];
const OPTIONS = ['scoring', 'causal', 'mask', 'validLens', 'decimals'];
/** What a step is called in a sentence: the symbol, or a message key (web/i18n). */
export const STEP_NAMES = {
  q: 'Q',
  k: 'K',
  v: 'V',
  qk: 'QKᵀ',
  scores: 'diag.label.scores',
  weights: 'diag.label.weights',
  output: 'diag.label.output',
};
const FORMULA = {
  q: 'X·W_Q',
  k: 'X·W_K',
  v: 'X·W_V',
  qk: 'Q·Kᵀ',
  scores: 'Q·Kᵀ/√d_k',
  weights: 'softmax(S)',
  output: 'A·V',
};
const W = { q: 'W_Q', k: 'W_K', v: 'W_V' };
// A float32 result is a few roundings (2^-24 each, relative) from the exact value.
const FLOAT32_SLACK = 2 ** -20;

const transpose = (m) => m[0].map((_, j) => m.map((row) => row[j]));
const shapeOf = (m) => [m.length, m[0].length];
const nested = (t) => (typeof t?.toArray === 'function' ? t.toArray() : t);
const fmt = (x) => String(Number(x.toFixed(4))).replace('-', '−');
const row = (r) => `[${r.map(fmt).join(', ')}]`;

/** Rows of finite numbers, or a TypeError / RangeError naming `name`. */
function matrix(value, name) {
  const m = nested(value);
  if (!Array.isArray(m) || m.length === 0 || !m.every((r) => Array.isArray(r))) {
    throw new TypeError(
      `${name}: expected a matrix (rows of numbers), got ${m === null ? 'null' : Array.isArray(m) ? 'an array of numbers' : typeof m}`,
    );
  }
  m.forEach((r, i) => {
    if (r.length !== m[0].length || r.length === 0)
      throw new RangeError(`${name}: row ${i + 1} has ${r.length} entries, row 1 has ${m[0].length}`);
    r.forEach((x, j) => {
      if (typeof x !== 'number') throw new TypeError(`${name}[${i}][${j}]: expected a number, got ${typeof x}`);
      if (!Number.isFinite(x)) throw new RangeError(`${name}[${i}][${j}]: expected a finite number, got ${x}`);
    });
  });
  return m;
}

/** Decimals a claim was printed with: as given, as the parser read them, or from its numbers. */
function decimalsOf(claim, given) {
  if (given !== undefined) return given;
  if (Object.prototype.hasOwnProperty.call(claim, 'decimals')) return claim.decimals;
  let d = null;
  for (const r of claim) {
    for (const x of r) {
      if (Number.isInteger(x)) continue;
      const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
      const places = (mantissa.split('.')[1] ?? '').length - Number(exponent);
      d = Math.max(d ?? 0, places);
    }
  }
  return d;
}

/** Half a unit of the last printed decimal: how far a printed value may be from the true one. */
const halfUnit = (decimals) => (decimals === null ? 0 : 0.5 * 10 ** -decimals);

/**
 * The cells where `claim` is further from `expected` than its printed decimals allow (same shapes),
 * plus `slack`: the rounding that a value recomputed from printed inputs carries.
 */
function wrongCells(claim, expected, decimals, slack = 0) {
  const half = halfUnit(decimals) + slack;
  const out = [];
  claim.forEach((r, i) =>
    r.forEach((c, j) => {
      const e = expected[i][j];
      if (!(Math.abs(c - e) <= half + FLOAT32_SLACK * Math.max(1, Math.abs(e)))) out.push([i, j]);
    }),
  );
  return out;
}

const sameShape = (a, b) => a.length === b.length && a[0].length === b[0].length;
const matches = (claim, candidate, decimals, slack = 0) =>
  !!candidate && sameShape(claim, candidate) && wrongCells(claim, candidate, decimals, slack).length === 0;
const largest = (m) => Math.max(...m.map((r) => Math.max(...r.map(Math.abs))));

/** Runs an engine call on claimed matrices, which may not fit together: null when the engine refuses. */
function attempt(f) {
  try {
    return nested(f());
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) return null;
    throw e;
  }
}

function shapeMessage(name, claim, expected, ctx, t) {
  const [r, c] = shapeOf(claim),
    [R, C] = shapeOf(expected);
  const rowsAre = name === 'q' || name === 'k' || name === 'v' ? 'tokenRows' : 'queryRows';
  const colsAre = name === 'q' || name === 'k' || name === 'v' || name === 'output' ? 'columns' : 'keyColumns';
  const why = W[name]
    ? t('diag.why.projection', { tokens: ctx.tokens, w: W[name], cols: C })
    : name === 'output'
      ? t('diag.why.output', { rows: R, cols: C })
      : t('diag.why.scores', { queries: t('diag.queries', { count: R }), keys: t('diag.keys', { count: C }) });
  const parts = [];
  if (r < R) parts.push(t(`diag.${rowsAre}.missing`, { count: R - r }));
  if (r > R) parts.push(t(`diag.${rowsAre}.tooMany`, { count: r - R }));
  if (c < C) parts.push(t(`diag.${colsAre}.missing`, { count: C - c }));
  if (c > C) parts.push(t(`diag.${colsAre}.tooMany`, { count: c - C }));
  return t('diag.shape', { r, c, parts: t.list(parts), why, R, C });
}

function arithmeticMessage(name, claim, expected, cells, ctx, t) {
  const rows = [...new Set(cells.map(([i]) => i))];
  const wholeRows = rows.filter((i) => cells.filter(([r]) => r === i).length === claim[i].length);
  if (ctx.identity && W[name] && wholeRows.length === rows.length) {
    // the seed article's mistake: X = I, so X·W is W itself
    const i = rows[0];
    return t('diag.identity', {
      formula: FORMULA[name],
      w: W[name],
      name: name.toUpperCase(),
      row: i + 1,
      expected: row(expected[i]),
      claim: row(claim[i]),
      more: rows.length > 1 ? t('diag.moreRows', { count: rows.length - 1 }) : '',
    });
  }
  if (wholeRows.length === rows.length && rows.length <= 2) {
    const each = rows.map((i) =>
      t('diag.rowIs', { row: i + 1, claim: row(claim[i]), formula: FORMULA[name], expected: row(expected[i]) }),
    );
    return t('diag.sentence', { text: cap(each.join(t('diag.separator'))) });
  }
  const shown = cells
    .slice(0, 4)
    .map(([i, j]) => t('diag.cellIs', { i: i + 1, j: j + 1, claim: fmt(claim[i][j]), expected: fmt(expected[i][j]) }));
  const list = shown.join(t('diag.separator')) + (cells.length > 4 ? `${t('diag.separator')}…` : '');
  return t('diag.cellsWrong', { count: cells.length, list });
}

/**
 * Checks a worked example of (scaled dot-product) self-attention. See index.d.ts
 * (checkWorkedExample) for the claims, the options and the result.
 * @param {object} attn the engine
 * @param {Function} t the message function the diagnoses are written with (web/i18n translator())
 */
export function checkWorkedExample(attn, claims, options, t) {
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new TypeError(
      `claims: expected an object such as { x, wq, wk, wv, q, scores }, got ${claims === null ? 'null' : typeof claims}`,
    );
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new TypeError('checkWorkedExample: options must be an object');
  for (const key of Object.keys(claims)) {
    if (!INPUTS.includes(key) && !CHECK_STEPS.includes(key)) {
      throw new TypeError(`claims: unknown name '${key}'; expected ${[...INPUTS, ...CHECK_STEPS].join(', ')}`);
    }
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key))
      throw new TypeError(`checkWorkedExample: unknown option '${key}'; expected one of ${OPTIONS.join(', ')}`);
  }
  const { scoring = 'scaled_dot', causal, mask, validLens, decimals } = options;
  if (scoring !== 'scaled_dot' && scoring !== 'dot')
    throw new TypeError(`scoring: the checker knows 'scaled_dot' and 'dot', got ${JSON.stringify(scoring)}`);
  if (decimals !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 15)) {
    throw new RangeError(`decimals: expected an integer from 0 to 15, got ${decimals}`);
  }
  const fromX = claims.x !== undefined && claims.x !== null;
  const inputs = fromX ? INPUTS : ['q', 'k', 'v'];
  const missing = inputs.filter((n) => claims[n] === undefined || claims[n] === null);
  if (missing.length) {
    throw new TypeError(`claims: missing ${missing.join(', ')}; give the inputs as { x, wq, wk, wv } or { q, k, v }`);
  }
  const c = {};
  for (const [name, value] of Object.entries(claims))
    if (value !== undefined && value !== null) c[name] = matrix(value, `claims.${name}`);
  const maskOptions = {
    ...(causal ? { causal: true } : {}),
    ...(mask != null ? { mask } : {}),
    ...(validLens != null ? { validLens } : {}),
  };

  // the right value of every step
  const expected = {};
  let logits;
  if (fromX) {
    const r = attn.selfAttention(c.x, { wq: c.wq, wk: c.wk, wv: c.wv, scoring, ...maskOptions });
    Object.assign(expected, { q: r.q, k: r.k, v: r.v, scores: r.scores, weights: r.weights, output: r.output });
    logits = r.logits;
  } else {
    const r = attn.attention(c.q, c.k, c.v, { scoring, ...maskOptions, trace: true });
    Object.assign(expected, { scores: r.steps.scores, weights: r.weights, output: r.output });
    logits = r.steps.logits;
  }
  const Q = fromX ? nested(expected.q) : c.q,
    K = fromX ? nested(expected.k) : c.k,
    V = fromX ? nested(expected.v) : c.v;
  expected.qk = attn.score(Q, K, { scoring: 'dot' });
  const dk = Q[0].length;
  const scaled = scoring === 'scaled_dot';

  // the usual mistakes, each computed by the engine from the right inputs
  const alternatives = { transposed: {}, 'no-scale': {}, 'scaled-by-dk': {}, 'softmax-axis': {} };
  if (scaled) {
    const noScale = attn.attention(Q, K, V, { scoring: 'dot', ...maskOptions, trace: true });
    alternatives['no-scale'] = {
      scores: nested(noScale.steps.scores),
      weights: nested(noScale.weights),
      output: nested(noScale.output),
    };
    if (dk > 1) {
      const byDk = attn.attention(Q, K, V, { scoring: 'scaled_dot', temperature: Math.sqrt(dk), ...maskOptions });
      alternatives['scaled-by-dk'] = {
        scores: nested(attn.softmaxSteps(expected.qk, { temperature: dk }).logits),
        weights: nested(byDk.weights),
        output: nested(byDk.output),
      };
    }
  }
  const columnWise = transpose(nested(attn.softmax(transpose(nested(logits)))));
  alternatives['softmax-axis'] = {
    weights: columnWise,
    output: nested(attn.score(columnWise, transpose(V), { scoring: 'dot' })),
  };

  // each step recomputed from the claimed matrices it is made of (the right ones where not claimed),
  // with a bound on the rounding the printed inputs carry into it: [inputs, engine call, slack]
  const use = (name) => c[name] ?? nested(expected[name]);
  const half = (name) => (c[name] ? halfUnit(decimalsOf(claims[name].toArray ? c[name] : claims[name], decimals)) : 0);
  const temperature = scaled ? Math.sqrt(dk) : 1;
  const qkSlack = () => dk * (half('q') * largest(use('k')) + half('k') * largest(use('q')));
  const carried = {
    qk: () => [[['q', 'k'], () => attn.score(use('q'), use('k'), { scoring: 'dot' }), qkSlack()]],
    scores: () => [
      [['qk'], () => attn.softmaxSteps(c.qk, { temperature }).logits, half('qk')],
      [['q', 'k'], () => attn.score(use('q'), use('k'), { scoring }), qkSlack()],
    ],
    // a softmax moves by at most twice the largest change of its logits
    weights: () => [
      [['scores'], () => attn.softmax(attn.applyMask(c.scores, maskOptions)), 2 * half('scores')],
      [
        ['q', 'k'],
        () => attn.attention(use('q'), use('k'), use('v'), { scoring, ...maskOptions }).weights,
        2 * qkSlack(),
      ],
    ],
    output: () => [
      [
        ['weights', 'v'],
        () => attn.score(use('weights'), transpose(use('v')), { scoring: 'dot' }),
        use('v').length * (half('weights') * largest(use('v')) + half('v') * largest(use('weights'))),
      ],
    ],
  };

  const ctx = {
    tokens: fromX ? c.x.length : Q.length,
    identity: fromX && c.x.length === c.x[0].length && c.x.every((r, i) => r.every((x, j) => x === (i === j ? 1 : 0))),
  };
  const items = [];
  const wrong = new Set();
  for (const name of CHECK_STEPS) {
    if (!fromX && (name === 'q' || name === 'k' || name === 'v')) continue; // inputs, not steps
    const exp = expected[name],
      e = nested(exp),
      claim = c[name];
    if (!claim) {
      items.push({ name, status: 'not-given', expected: exp, claimed: null, wrongCells: [], diagnosis: null });
      continue;
    }
    const d = decimalsOf(claims[name].toArray ? claim : claims[name], decimals);
    const cells = sameShape(claim, e) ? wrongCells(claim, e, d) : claim.flatMap((r, i) => r.map((_, j) => [i, j]));
    if (cells.length === 0) {
      items.push({ name, status: 'correct', expected: exp, claimed: claim, wrongCells: [], diagnosis: null });
      continue;
    }
    items.push({
      name,
      status: 'wrong',
      expected: exp,
      claimed: claim,
      wrongCells: cells,
      diagnosis: diagnose(name, claim, e, cells, d),
    });
    wrong.add(name);
  }

  function diagnose(name, claim, e, cells, d) {
    const earlier = [...wrong];
    if (earlier.length && carried[name]) {
      for (const [from, f, slack] of carried[name]()) {
        if (!from.some((n) => wrong.has(n)) || !from.every((n) => c[n] || n === 'v' || n === 'k' || n === 'q'))
          continue;
        if (matches(claim, attempt(f), d, slack)) {
          const given = from
            .filter((n) => c[n])
            .map((n) => (n === 'qk' ? 'QKᵀ' : n === 'scores' ? 'S' : n === 'weights' ? 'A' : n.toUpperCase()));
          return { code: 'carried', message: t('diag.carried', { given: t.list(given) }) };
        }
      }
    }
    const label = cap(t(STEP_NAMES[name]));
    const transposed = { code: 'transposed', message: t('diag.transposed', { label }) };
    if (!sameShape(claim, e)) {
      if (matches(claim, transpose(e), d)) return transposed;
      return { code: 'shape', message: shapeMessage(name, claim, e, ctx, t) };
    }
    if (claim.length === claim[0].length && matches(claim, transpose(e), d)) return transposed;
    const sqrt = `√d_k = √${dk}`;
    const scores = name === 'scores' ? 'scores' : 'later';
    if (matches(claim, alternatives['no-scale'][name], d)) {
      return { code: 'no-scale', message: t(`diag.noScale.${scores}`, { label, sqrt }) };
    }
    if (matches(claim, alternatives['scaled-by-dk'][name], d)) {
      return { code: 'scaled-by-dk', message: t(`diag.scaledByDk.${scores}`, { label, dk, sqrt }) };
    }
    if (matches(claim, alternatives['softmax-axis'][name], d)) {
      return {
        code: 'softmax-axis',
        message: t(name === 'weights' ? 'diag.softmaxAxis.weights' : 'diag.softmaxAxis.output'),
      };
    }
    return { code: 'arithmetic', message: arithmeticMessage(name, claim, e, cells, ctx, t) };
  }

  const firstWrong = items.find((i) => i.status === 'wrong')?.name ?? null;
  return { verdict: firstWrong ? 'wrong' : 'correct', firstWrong, items };
}

const cap = (s) => s[0].toUpperCase() + s.slice(1);
