// Reading matrices as people publish them: NumPy and PyTorch reprs, JSON / JS nested arrays,
// Markdown tables, LaTeX bmatrix / pmatrix / array (with \frac, \tfrac, \dfrac, \sqrt and a scalar
// factor before the matrix), whitespace- or comma-separated rows, fractions 1/2 and the Unicode
// minus. This is input parsing, pure and engine-free: the numbers it returns are what the text
// says, and every number computed from them comes from the engine (check.js).
//
// Each matrix returned carries a non-enumerable `decimals`: how many decimals it was printed with
// (the most any entry shows), or null when every entry is exact (integers, fractions, square
// roots). checkWorkedExample reads it to know how far a printed value may be from the true one.

/** The names a labelled paste may use, in the order the steps are checked. */
export const CLAIM_NAMES = ['x', 'wq', 'wk', 'wv', 'q', 'k', 'v', 'qk', 'scores', 'weights', 'output'];

const ENVIRONMENTS = /^(?:[bpvBV]?matrix|smallmatrix|array)\*?$/;

/** A SyntaxError / RangeError whose message starts with the line and column of `offset`. */
function fail(text, offset, message, Kind = SyntaxError) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length,
    column = offset - before.lastIndexOf('\n');
  const error = new Kind(`line ${line}, column ${column}: ${message}`);
  error.line = line;
  error.column = column;
  return error;
}

const quote = (s) => `“${s.length > 24 ? `${s.slice(0, 24)}…` : s}”`;
const isSpace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '~';
const MINUS = /[−–]/g;

// ---- numbers -------------------------------------------------------------------------------------

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;

/** Decimals printed by a literal: digits after the point ("1." and integers are exact: null). */
function literalDecimals(s) {
  const m = /\.(\d+)/.exec(s.replace(/[eE].*$/, ''));
  return m ? m[1].length : null;
}
const maxDecimals = (a, b) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * A number written in LaTeX or plain text, from `start` to `end` of `text`: sums, products
 * (implicit, *, \cdot, \times), quotients, \frac{a}{b} (\tfrac, \dfrac, \frac12), \sqrt{n},
 * parentheses and braces, − as minus. Returns { value, decimals }.
 */
function readScalar(text, start, end) {
  let i = start;
  let decimals = null;
  const skip = () => {
    for (;;) {
      while (i < end && isSpace(text[i])) i++;
      const spacing = /^\\(?:[,;:! ]|quad|qquad|left|right|displaystyle|textstyle)(?![a-zA-Z])/.exec(
        text.slice(i, Math.min(end, i + 16)),
      );
      if (spacing) i += spacing[0].length;
      else return;
    }
  };
  const peekCommand = () => /^\\[a-zA-Z]+/.exec(text.slice(i, Math.min(end, i + 24)))?.[0];
  const expected = (what) =>
    fail(
      text,
      i,
      i < end
        ? `expected ${what}, got ${quote(text.slice(i, end).trim().split(/\s+/)[0] || text[i])}`
        : `expected ${what}, got the end of the entry`,
    );
  // an argument of \frac or \sqrt: {expr} or a single digit (\tfrac12) or a command (\frac1\sqrt2)
  const argument = () => {
    skip();
    if (text[i] === '{') return group('{', '}');
    if (/\d/.test(text[i] ?? '')) return Number(text[i++]);
    if (text[i] === '\\') return atom();
    throw expected('{…} or a digit');
  };
  const group = (open, close) => {
    i++;
    const v = sum();
    skip();
    if (text[i] !== close) throw expected(`“${close}”`);
    i++;
    return v;
  };
  const atom = () => {
    skip();
    const c = text[i];
    if (c === '(' || c === '{') return group(c, c === '(' ? ')' : '}');
    if (c === '[') return group('[', ']');
    const cmd = peekCommand();
    if (cmd === '\\frac' || cmd === '\\tfrac' || cmd === '\\dfrac' || cmd === '\\cfrac') {
      i += cmd.length;
      const numerator = argument(),
        denominator = argument();
      if (denominator === 0) throw fail(text, i, 'division by zero', RangeError);
      return numerator / denominator;
    }
    if (cmd === '\\sqrt') {
      i += cmd.length;
      skip();
      let degree = 2;
      if (text[i] === '[') degree = group('[', ']');
      const radicand = argument();
      if (radicand < 0) throw fail(text, i, 'square root of a negative number', RangeError);
      return radicand ** (1 / degree);
    }
    if (cmd === '\\text' || cmd === '\\mathrm' || cmd === '\\mathbf' || cmd === '\\textbf' || cmd === '\\boldsymbol') {
      i += cmd.length;
      return argument();
    }
    const m = NUMBER.exec(text.slice(i, end));
    if (!m) throw expected('a number');
    i += m[0].length;
    decimals = maxDecimals(decimals, literalDecimals(m[0]));
    return Number(m[0]);
  };
  const startsAtom = () => {
    skip();
    const c = text[i];
    if (i >= end) return false;
    if (/[\d.({[]/.test(c)) return true;
    return [
      '\\frac',
      '\\tfrac',
      '\\dfrac',
      '\\cfrac',
      '\\sqrt',
      '\\text',
      '\\mathrm',
      '\\mathbf',
      '\\textbf',
      '\\boldsymbol',
    ].includes(peekCommand());
  };
  const unary = () => {
    skip();
    const c = text[i];
    if (c === '-' || c === '−' || c === '–') {
      i++;
      return -unary();
    }
    if (c === '+') {
      i++;
      return unary();
    }
    return atom();
  };
  const product = () => {
    let v = unary();
    for (;;) {
      skip();
      const cmd = peekCommand();
      if (text[i] === '*' || text[i] === '·' || text[i] === '×' || cmd === '\\cdot' || cmd === '\\times') {
        i += cmd === '\\cdot' || cmd === '\\times' ? cmd.length : 1;
        v *= unary();
      } else if (text[i] === '/') {
        i++;
        const d = unary();
        if (d === 0) throw fail(text, i, 'division by zero', RangeError);
        v /= d;
      } else if (startsAtom() && text[i] !== '[') {
        v *= atom();
      } else {
        return v;
      }
    }
  };
  function sum() {
    let v = product();
    for (;;) {
      skip();
      const c = text[i];
      if (c === '+') {
        i++;
        v += product();
      } else if (c === '-' || c === '−' || c === '–') {
        i++;
        v -= product();
      } else return v;
    }
  }
  skip();
  if (i >= end) throw fail(text, start, 'expected a number, got an empty entry');
  const value = sum();
  skip();
  if (i < end) throw expected('an operator or the end of the entry');
  if (!Number.isFinite(value))
    throw fail(text, start, `${quote(text.slice(start, end).trim())} is not a finite number`, RangeError);
  return { value, decimals };
}

// ---- matrices ------------------------------------------------------------------------------------

function withDecimals(rows, decimals) {
  Object.defineProperty(rows, 'decimals', { value: decimals, enumerable: false });
  return rows;
}

/** Checks that rows (with the offsets they start at) are rectangular and not empty. */
function rectangular(text, rows, starts, at) {
  if (rows.length === 0 || rows[0].length === 0) throw fail(text, at, 'the matrix is empty');
  const n = rows[0].length;
  rows.forEach((row, r) => {
    if (row.length !== n) {
      throw fail(
        text,
        starts[r],
        `row ${r + 1} has ${row.length} ${row.length === 1 ? 'entry' : 'entries'}, row 1 has ${n}: rows must have the same length`,
        RangeError,
      );
    }
  });
}

/** \begin{bmatrix} … \end{bmatrix} at `start` (pointing at "\begin"). */
function readLatex(text, start, end) {
  const head = /^\\begin\s*\{([^}]*)\}/.exec(text.slice(start, end));
  if (!head || !ENVIRONMENTS.test(head[1])) {
    throw fail(
      text,
      start,
      `expected \\begin{bmatrix}, pmatrix, matrix or array, got ${quote(head ? head[0] : text.slice(start, start + 12))}`,
    );
  }
  let i = start + head[0].length;
  if (head[1].startsWith('array')) {
    const spec = /^\s*\{[^}]*\}/.exec(text.slice(i, end));
    if (spec) i += spec[0].length;
  }
  const closing = `\\end{${head[1]}}`;
  const close = text.indexOf(closing, i);
  if (close < 0 || close >= end) throw fail(text, start, `${quote(head[0])} has no matching ${closing}`);
  const rows = [],
    starts = [];
  let decimals = null;
  // rows split on \\ (or \cr), cells on &, both only outside braces
  let rowStart = i,
    cellStart = i,
    depth = 0,
    row = [];
  const pushCell = (at) => {
    const { value, decimals: d } = readScalar(text, cellStart, at);
    decimals = maxDecimals(decimals, d);
    row.push(value);
  };
  for (let j = i; j <= close;) {
    const c = text[j];
    if (j < close && c === '{') depth++;
    else if (j < close && c === '}') depth--;
    if (j < close && depth === 0 && c === '&') {
      pushCell(j);
      cellStart = ++j;
      continue;
    }
    let step = -1; // the length of a row break here, if there is one
    if (j === close) step = 0;
    else if (depth === 0 && text.startsWith('\\\\', j)) step = 2;
    else if (depth === 0 && /^\\cr(?![a-zA-Z])/.test(text.slice(j, j + 4))) step = 3;
    if (step < 0) {
      j++;
      continue;
    }
    if (row.length > 0 || text.slice(cellStart, j).trim() !== '') {
      // not the empty row after a last \\
      pushCell(j);
      rows.push(row);
      starts.push(rowStart);
    }
    if (step === 0) break;
    row = [];
    j += step;
    const spacing = /^\s*\[[^\]]*\]/.exec(text.slice(j, close)); // \\[2pt]
    if (step === 2 && spacing) j += spacing[0].length;
    rowStart = cellStart = j;
  }
  rectangular(text, rows, starts, start);
  return { rows, decimals, end: close + closing.length };
}

/** Nested brackets at `start` (pointing at "["): JSON, JS, NumPy (with or without commas), PyTorch. */
function readBrackets(text, start, end) {
  let i = start;
  let decimals = null;
  const skip = () => {
    while (i < end && (isSpace(text[i]) || text[i] === ',')) i++;
  };
  const list = (depth) => {
    const at = i;
    i++; // [
    const items = [];
    for (;;) {
      skip();
      if (i >= end) throw fail(text, at, 'this “[” is never closed');
      if (text[i] === ']') {
        i++;
        return { items, at };
      }
      if (text[i] === '[') {
        if (depth >= 2) throw fail(text, i, 'a matrix has two axes: nested three deep here', RangeError);
        items.push(list(depth + 1));
        continue;
      }
      const m = /^[-+−–]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\/[-+]?(?:\d+\.?\d*|\.\d+))?/.exec(text.slice(i, end));
      if (!m) throw fail(text, i, `expected a number, got ${quote(text.slice(i).split(/[\s,\]]/)[0] || text[i])}`);
      const { value, decimals: d } = readScalar(text, i, i + m[0].length);
      decimals = maxDecimals(decimals, d);
      items.push({ value, at: i });
      i += m[0].length;
      if (i < end && !isSpace(text[i]) && text[i] !== ',' && text[i] !== ']') {
        throw fail(text, i, `expected “,”, a space or “]”, got ${quote(text[i])}`);
      }
    }
  };
  const top = list(0);
  let rows, starts;
  if (top.items.length > 0 && top.items.every((x) => 'items' in x)) {
    rows = top.items.map((r) =>
      r.items.map((x) => {
        if (!('value' in x)) throw fail(text, x.at, 'a matrix has two axes: nested three deep here', RangeError);
        return x.value;
      }),
    );
    starts = top.items.map((r) => r.at);
  } else if (top.items.every((x) => 'value' in x)) {
    rows = [top.items.map((x) => x.value)]; // one row
    starts = [top.at];
  } else {
    const mixed = top.items.find((x) => 'value' in x) ?? top.items[0];
    throw fail(text, mixed.at, 'a number where a row “[…]” was expected', RangeError);
  }
  rectangular(text, rows, starts, start);
  return { rows, decimals, end: i };
}

/** The wrapper of a NumPy / PyTorch repr: array( … ) or tensor( … ), keyword arguments skipped. */
function readRepr(text, start, end) {
  const m = /^(?:np\.|numpy\.|torch\.)?(?:array|tensor)\s*\(\s*/.exec(text.slice(start, end));
  const inner = readBrackets(text, start + m[0].length, end);
  // after the values: ", dtype=float32)", ", grad_fn=<SoftmaxBackward0>)", ")"
  let depth = 1,
    i = inner.end;
  while (i < end && depth > 0) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    i++;
  }
  if (depth > 0) throw fail(text, start, `${quote(m[0].trim())} is never closed`);
  return { ...inner, end: i };
}

const TABLE_LINE = /^[ \t]*\|/;

/** A Markdown table: lines starting with "|"; a header row (before the |---| line) and row labels skipped. */
function readTable(text, start, end) {
  const lines = [];
  let i = start;
  while (i < end) {
    const lineEnd = Math.min(end, text.indexOf('\n', i) < 0 ? end : text.indexOf('\n', i));
    const line = text.slice(i, lineEnd);
    if (!TABLE_LINE.test(line)) break;
    lines.push({ at: i, line });
    i = lineEnd + 1;
  }
  const separator = lines.findIndex((l) => /^[\s|:\-]+$/.test(l.line) && l.line.includes('-'));
  const body = lines.filter((_, k) => k !== separator && !(separator > 0 && k === separator - 1));
  const cells = body.map(({ at, line }) => {
    const out = [];
    let from = line.indexOf('|') + 1;
    for (let to = line.indexOf('|', from); to >= 0; from = to + 1, to = line.indexOf('|', from)) {
      out.push({ at: at + from, end: at + to });
    }
    if (line.slice(from).trim() !== '') out.push({ at: at + from, end: at + line.length });
    return out;
  });
  const numeric = (c) => {
    try {
      readScalar(text.replace(/\$/g, ' '), c.at, c.end);
      return true;
    } catch {
      return false;
    }
  };
  // a first column that is not all numbers holds row labels
  const labelled = cells.length > 0 && cells.some((row) => row.length > 0 && !numeric(row[0]));
  let decimals = null;
  const clean = text.replace(/\$/g, ' '); // inline math in cells: $\frac12$
  const rows = cells.map((row) =>
    (labelled ? row.slice(1) : row).map((c) => {
      const { value, decimals: d } = readScalar(clean, c.at, c.end);
      decimals = maxDecimals(decimals, d);
      return value;
    }),
  );
  rectangular(
    text,
    rows,
    body.map((b) => b.at),
    start,
  );
  return { rows, decimals, end: i > end ? end : i };
}

const PLAIN_ROW =
  /^[ \t]*[-+−–]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\/\d+)?(?:[ \t]*[, \t][ \t]*[-+−–]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\/\d+)?)*[ \t]*[,;]?[ \t]*$/;

/** Rows of numbers separated by spaces or commas, one row per line, until a line that is not one. */
function readPlain(text, start, end, strict) {
  const rows = [],
    starts = [];
  let decimals = null,
    i = start;
  while (i < end) {
    const lineEnd = Math.min(end, text.indexOf('\n', i) < 0 ? end : text.indexOf('\n', i));
    const line = text.slice(i, lineEnd);
    if (line.trim() === '' && rows.length > 0) break;
    if (line.trim() !== '') {
      if (!PLAIN_ROW.test(line)) {
        // a row with something else among its numbers: point at it
        const bad = strict && /^[ \t]*[-+−–]?[\d.]/.test(line) && /[^\s,;]+/g;
        if (bad) {
          for (const m of line.matchAll(bad)) {
            if (!/^[-+−–]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\/\d+)?$/.test(m[0]))
              throw fail(text, i + m.index, `expected a number, got ${quote(m[0])}`);
          }
        }
        break;
      }
      const row = [];
      for (const m of line.matchAll(/[^\s,;]+/g)) {
        const { value, decimals: d } = readScalar(text, i + m.index, i + m.index + m[0].length);
        decimals = maxDecimals(decimals, d);
        row.push(value);
      }
      rows.push(row);
      starts.push(i);
    }
    i = lineEnd + 1;
  }
  rectangular(text, rows, starts, start);
  return { rows, decimals, end: Math.min(i, end) };
}

/** Where the next matrix starts in [start, end): { at, kind } or null. */
function findOpener(text, start, end) {
  const slice = text.slice(start, end);
  const candidates = [];
  const latex = /\\begin\s*\{/.exec(slice);
  if (latex) candidates.push({ at: start + latex.index, kind: 'latex' });
  const repr = /(?:np\.|numpy\.|torch\.)?(?:array|tensor)\s*\(\s*\[/.exec(slice);
  if (repr) candidates.push({ at: start + repr.index, kind: 'repr' });
  // a "[" that is not LaTeX's \[ (display math) and not a \sqrt[n] degree
  for (const m of slice.matchAll(/\[/g)) {
    const before = slice.slice(Math.max(0, m.index - 5), m.index);
    if (before.endsWith('\\') || before.endsWith('\\sqrt') || /\\\\\s*$/.test(before)) continue;
    candidates.push({ at: start + m.index, kind: 'brackets' });
    break;
  }
  const table = /(?:^|\n)([ \t]*\|)/.exec(slice);
  if (table) candidates.push({ at: start + table.index + (slice[table.index] === '\n' ? 1 : 0), kind: 'table' });
  let lineStart = start;
  for (const line of slice.split('\n')) {
    if (line.trim() !== '' && PLAIN_ROW.test(line)) {
      candidates.push({ at: lineStart, kind: 'plain' });
      break;
    }
    lineStart += line.length + 1;
  }
  candidates.sort((a, b) => a.at - b.at || (a.kind === 'repr' ? -1 : 1));
  return candidates[0] ?? null;
}

const READERS = { latex: readLatex, repr: readRepr, brackets: readBrackets, table: readTable, plain: readPlain };
// What may surround a matrix without meaning anything: math delimiters, punctuation, spacing.
const FILLER = /^(?:\s|\$|\\\[|\\\]|\\\(|\\\)|\\[,;:!]|\\quad|\\qquad|[,.;])*$/;

/**
 * The matrix in text[start, end): an optional scalar factor, then one matrix. `strict`: anything
 * else is a SyntaxError; otherwise (a labelled paste) null when the text is not a value, e.g. a
 * product of matrices or softmax(…), and surrounding prose is ignored.
 */
function readMatrixIn(text, start, end, strict) {
  const opener = findOpener(text, start, end);
  if (!opener) {
    if (!strict) return null;
    const at = start + (text.slice(start, end).search(/\S/) < 0 ? 0 : text.slice(start, end).search(/\S/));
    throw fail(
      text,
      at,
      at >= end
        ? 'no matrix found: the text is empty'
        : `no matrix found at ${quote(text.slice(at, end).trim().split('\n')[0])}: expected [[…]], array(…), tensor(…), a Markdown table, \\begin{bmatrix}…\\end{bmatrix} or rows of numbers`,
    );
  }
  // a scalar factor before the matrix, e.g. \frac{1}{\sqrt{2}} \begin{bmatrix} … \end{bmatrix}
  let factor = 1,
    factorDecimals = null;
  const prefix = text.slice(start, opener.at);
  if (!FILLER.test(prefix)) {
    const delimiters = /^(?:\s|\$|\\\[|\\\()*/.exec(prefix)[0].length;
    let trailing = prefix.length;
    while (trailing > delimiters && /[\s]/.test(prefix[trailing - 1])) trailing--;
    if (prefix.slice(0, trailing).endsWith('\\left(') || prefix.slice(0, trailing).endsWith('(')) {
      if (!strict) return null; // softmax(…) or the like: not a value
    }
    try {
      const s = readScalar(text, start + delimiters, start + trailing);
      factor = s.value;
      factorDecimals = s.decimals;
    } catch (e) {
      if (!strict) return null;
      throw fail(
        text,
        start + delimiters,
        `expected a matrix or a number before it, got ${quote(prefix.slice(delimiters).trim())}`,
      );
    }
  }
  const read = READERS[opener.kind](text, opener.at, end, strict);
  const rest = text.slice(read.end, end);
  if (!FILLER.test(rest)) {
    if (!strict) {
      // another matrix right after this one (before any "="): a product, not a value
      const next = findOpener(text, read.end, end);
      if (next && FILLER.test(text.slice(read.end, next.at))) return null;
    } else {
      const at = read.end + rest.search(/\S/);
      throw fail(text, at, `unexpected ${quote(text.slice(at, end).trim().split('\n')[0])} after the matrix`);
    }
  }
  const rows = factor === 1 ? read.rows : read.rows.map((r) => r.map((x) => factor * x));
  const decimals = factor === 1 ? read.decimals : maxDecimals(read.decimals, factorDecimals);
  return withDecimals(rows, decimals);
}

/**
 * One matrix as people publish it, as rows of numbers.
 * @example parseMatrix('\\frac{1}{\\sqrt{2}}\\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}')  // [[0.7071…, 0], [0, 0.7071…]]
 * @example parseMatrix('array([[0.5, 0.5], [1., 0.]], dtype=float32)')  // [[0.5, 0.5], [1, 0]]
 * @param {string} text
 * @returns {number[][]} with a non-enumerable `decimals` (number, or null when every entry is exact)
 * @throws {SyntaxError} text that cannot be read, with its line and column
 * @throws {RangeError} ragged rows, more than two axes, a division by zero
 */
export function parseMatrix(text) {
  if (typeof text !== 'string')
    throw new TypeError(`text: expected a string, got ${text === null ? 'null' : typeof text}`);
  const clean = text.replace(/\r\n?/g, '\n');
  return readMatrixIn(clean, 0, clean.length, true);
}

// ---- labelled pastes ---------------------------------------------------------------------------

/** The claim a label names (X, W_Q, W^K, QK^T, \text{scores}, softmax, Output, …), or null. */
export function claimName(label) {
  const n = label
    .replace(/\\(?:text|mathrm|mathbf|mathit|boldsymbol|operatorname|textbf|bf|rm)\b/g, '')
    .replace(/\\_/g, '_')
    .replace(/\\(?:left|right)\b/g, '')
    .replace(/\\[,;!: ]/g, '')
    .replace(/[\s{}$&*·@]|\\cdot\b/g, '');
  const lower = n.toLowerCase();
  if (/^x$/i.test(n)) return 'x';
  const w = /^w(?:_|\^)?(q|k|v)$/i.exec(n);
  if (w) return `w${w[1].toLowerCase()}`;
  if (/^(?:q|queries|query)$/.test(lower) && (n === 'Q' || lower.length > 1)) return 'q';
  if (/^(?:k|keys?)$/.test(lower) && (n === 'K' || lower.length > 1)) return 'k';
  if (/^(?:v|values?)$/.test(lower) && (n === 'V' || lower.length > 1)) return 'v';
  if (/^qk(?:\^(?:t|\\top|\\intercal|⊤)|ᵀ|\.t|\^?⊤)$/i.test(n)) return 'qk';
  if (/^(?:softmax|\\operatorname\{softmax\})/i.test(lower)) return 'weights';
  if (/^(?:a|p|weights?|attention_?weights?|attn_?weights?|\\alpha|α)$/i.test(n) && n !== 'a' && n !== 'p')
    return 'weights';
  if (/^(?:s|scores?|attention_?scores?|scaled_?scores?)$/i.test(n) && n !== 's') return 'scores';
  if (/qk/i.test(n) && /sqrt|√/.test(n)) return 'scores';
  if (/^(?:o|z|outputs?|attention_?outputs?|attention\(q,k,v\))$/i.test(n) && n !== 'o' && n !== 'z') return 'output';
  return null;
}

// Where a label's text starts: after these at bracket depth 0, scanning back from its "=".
const BOUNDARY = /(?:\n|\$|\\\[|\\\(|\\quad|\\qquad|\\\\|,|;|:|\\text\{\s*and\s*\})$/;

/** The offsets of "=" at bracket depth 0 (not ==, <=, >=, !=, :=). */
function equalsSigns(text) {
  const out = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && '[](){}'.includes(text[i + 1])) {
      i++;
      continue;
    }
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === '=' && depth === 0 && !'=<>!:'.includes(text[i - 1] ?? '') && text[i + 1] !== '=') out.push(i);
  }
  return out;
}

/** The start of the label before the "=" at `eq` (not before `floor`). */
function labelStart(text, eq, floor) {
  let depth = 0;
  for (let i = eq - 1; i >= floor; i--) {
    const c = text[i];
    if (c === '}' || c === ')' || c === ']') depth++;
    else if (c === '{' || c === '(' || c === '[') {
      if (depth === 0) return i + 1;
      depth--;
    } else if (depth === 0 && BOUNDARY.test(text.slice(Math.max(floor, i - 16), i + 1))) {
      return i + 1;
    }
  }
  return floor;
}

/**
 * A labelled worked example split into named matrices: each matrix follows its name and "="
 * (X =, W_Q =, W^K =, Q =, QK^T =, scores =, weights = / softmax =, output = …), in any of the
 * formats parseMatrix reads, with prose, formulas and chains (Q = XW^Q = …, W^Q = W^K = W^V = …)
 * around them. A line such as "weights = softmax(…)" or a product of matrices is not a claim.
 * @example parseWorkedExample('X = [[1, 0], [0, 1]]\nQ = [[1, 0], [0, 1]]')  // { x: [[1, 0], [0, 1]], q: [[1, 0], [0, 1]] }
 * @param {string} text
 * @returns {Record<string, number[][]>} keys from CLAIM_NAMES, each matrix with its `decimals`
 */
export function parseWorkedExample(text) {
  if (typeof text !== 'string')
    throw new TypeError(`text: expected a string, got ${text === null ? 'null' : typeof text}`);
  const src = text.replace(/\r\n?/g, '\n');
  const labels = [];
  let floor = 0;
  for (const eq of equalsSigns(src)) {
    const at = labelStart(src, eq, floor);
    const name = claimName(src.slice(at, eq));
    if (name) labels.push({ name, at, eq });
    floor = eq + 1;
  }
  const found = {};
  let pending = []; // names of a chain (W^Q = W^K = …) waiting for their matrix
  labels.forEach((label, n) => {
    const end = n + 1 < labels.length ? labels[n + 1].at : src.length;
    if (FILLER.test(src.slice(label.eq + 1, end))) {
      pending.push(label.name);
      return;
    }
    // the value is the last part of a chain (Q = XW^Q = [[…]]) that holds a matrix; bare rows of
    // numbers only when no part holds another kind, and then the first ("… where d_k = 2" is prose)
    const signs = equalsSigns(src.slice(label.eq + 1, end)).map((e) => e + label.eq + 1);
    const parts = [label.eq, ...signs].map((eq, p, all) => [eq + 1, p + 1 < all.length ? all[p + 1] : end]);
    const kinds = parts.map(([from, to]) => findOpener(src, from, to)?.kind);
    let pick = kinds.findLastIndex((k) => k && k !== 'plain');
    if (pick < 0) pick = kinds.findIndex((k) => k === 'plain');
    const matrix = pick < 0 ? null : readMatrixIn(src, parts[pick][0], parts[pick][1], false);
    if (matrix) for (const name of [...pending, label.name]) found[name] = matrix;
    pending = [];
  });
  const out = {};
  for (const name of CLAIM_NAMES) if (found[name]) out[name] = found[name];
  if (Object.keys(out).length === 0) {
    throw fail(
      src,
      0,
      'no labelled matrix found: start each matrix with its name, e.g. “X = [[1, 0], [0, 1]]” or “W_Q = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}”',
    );
  }
  return out;
}
