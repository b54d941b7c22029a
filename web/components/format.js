// Number formatting for display and export (formatting, not arithmetic).

/** A value at `precision` decimals; -Infinity as −∞; negative zero as 0. */
export function formatNumber(x, precision = 4) {
  if (x === -Infinity) return '−∞';
  if (x === Infinity) return '∞';
  if (Number.isNaN(x)) return 'NaN';
  if (x !== 0 && Math.abs(x) >= 1e6) return x.toExponential(Math.min(precision, 3)).replace('-', '−');
  const s = x.toFixed(precision);
  return (/^-0\.?0*$/.test(s) ? s.slice(1) : s).replace('-', '−');
}

/** Shortest decimal that round-trips a float32 value (for exports that rebuild the tensor). */
export function float32String(x) {
  if (x === -Infinity) return '-inf';
  if (x === Infinity) return 'inf';
  if (Object.is(x, -0)) return '-0.0'; // toPrecision drops the sign, and Python's -0 is the integer 0
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === Math.fround(x)) return String(Number(s));
  }
  return String(x);
}

/** Nested arrays of a Tensor-like { data, shape } (no copy of Tensor's class needed). */
export function toNested(t) {
  return typeof t.toArray === 'function' ? t.toArray() : t;
}

const GREEK = { alpha: 'α', beta: 'β', gamma: 'γ', Delta: 'Δ', phi: 'φ' };

/** A TeX label as plain text for captions and file names: QK^\top → QKᵀ, A_{soft} → A_soft, \Delta → Δ. */
export function plainLabel(tex) {
  return String(tex)
    .replace(/\\(?:text|mathrm)\{([^}]*)\}/g, '$1')
    .replace(/\\(alpha|beta|gamma|Delta|phi)\b/g, (_, g) => GREEK[g])
    .replace(/\\top/g, 'ᵀ')
    .replace(/\^/g, '')
    .replace(/_\{([^}]*)\}/g, '_$1')
    .replace(/[{}\\]/g, '');
}
