// Exports: a matrix as CSV, JSON, NumPy or PyTorch code that rebuilds it exactly (float32 values
// written with the shortest round-tripping decimal, -0 included; JSON alone writes -0 as 0 and a
// masked -Infinity as null), the worked example as Markdown with LaTeX, and downloads. Formatting
// only: every value comes from the engine, which returns finite numbers and -Infinity (a masked
// logit); NaN or +Infinity would be a bug upstream, refused here with a RangeError rather than
// written as text that no reader parses back.
import { float32String, formatNumber } from './format.js';
import { translator } from '../i18n/index.js';

/** Throws a RangeError naming the first entry that is not a finite number or -Infinity. */
function exportable(values, where = 'values') {
  if (Array.isArray(values)) {
    values.forEach((v, i) => exportable(v, `${where}[${i}]`));
  } else if (typeof values !== 'number' || Number.isNaN(values) || values === Infinity) {
    throw new RangeError(`${where} is ${values}: only finite numbers and -Infinity (masked) can be exported`);
  }
}

const nested = (values, f) => (Array.isArray(values) ? `[${values.map((v) => nested(v, f)).join(', ')}]` : f(values));

export function toCSV(values, { rows, cols } = {}) {
  exportable(values);
  const m = Array.isArray(values[0]) ? values : [values];
  const lines = [];
  const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  if (cols) lines.push(['', ...cols].map(quote).join(','));
  m.forEach((row, i) => lines.push([...(rows ? [quote(rows[i])] : []), ...row.map(float32String)].join(',')));
  return `${lines.join('\n')}\n`;
}

export function toJSON(values, { name, rows, cols } = {}) {
  exportable(values);
  // JSON has no -Infinity: masked entries are written as null
  const clean = (v) => (Array.isArray(v) ? v.map(clean) : Number.isFinite(v) ? Number(float32String(v)) : null);
  return `${JSON.stringify({ name, rows, cols, values: clean(values) }, null, 2)}\n`;
}

const pyNumber = (v) => (v === -Infinity ? '-np.inf' : float32String(v));

export function toNumPy(values, { name = 'm' } = {}) {
  exportable(values);
  return `import numpy as np\n\n${pyName(name)} = np.array(${nested(values, pyNumber)}, dtype=np.float32)\n`;
}

export function toPyTorch(values, { name = 'm' } = {}) {
  exportable(values);
  const f = (v) => (v === -Infinity ? "float('-inf')" : float32String(v));
  return `import torch\n\n${pyName(name)} = torch.tensor(${nested(values, f)}, dtype=torch.float32)\n`;
}

function pyName(name) {
  const s = String(name)
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/^(\d)/, '_$1');
  return s || 'm';
}

/** A matrix as LaTeX bmatrix at the given precision. */
export function toLatexMatrix(values, precision) {
  const m = Array.isArray(values[0]) ? values : [values];
  const cell = (v) => (v === -Infinity ? '-\\infty' : formatNumber(v, precision).replace('−', '-'));
  return `\\begin{bmatrix} ${m.map((r) => r.map(cell).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
}

/**
 * The worked example as Markdown: a heading per step, its formula in $$…$$, its shape, and each
 * matrix as a LaTeX bmatrix.
 */
export function toMarkdown({ title, summary, steps, precision, link, t = translator('en') }) {
  const out = [`# ${title}`, ''];
  if (summary) out.push(summary, '');
  if (link) out.push(t('md.live', { link }), '');
  for (const step of steps) {
    out.push(`## ${step.title}`, '');
    if (step.tex) out.push('$$', step.tex, '$$', '');
    if (step.note) out.push(step.note, '');
    for (const m of step.matrices ?? []) {
      // a checked claim: the corrected example has the engine's values (a claim of the wrong shape
      // is left out: the engine's matrix follows it)
      if (m.claimed && !m.expected) continue;
      const values = m.expected ?? m.values;
      const mats = Array.isArray(values[0]?.[0]) ? values : [values];
      mats.forEach((mat, b) => {
        out.push(
          `$$${m.label ? `${m.label}${mats.length > 1 ? `_{${b + 1}}` : ''} = ` : ''}${toLatexMatrix(mat, precision)}$$`,
          '',
        );
      });
    }
  }
  return `${out.join('\n')}\n`;
}

/** Offers `content` (string or Blob) as a download named `filename`. */
export function download(filename, content, type = 'text/plain;charset=utf-8') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
