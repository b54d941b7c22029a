// A small SVG line chart for the why-scale and quadratic-cost experiments: x evenly spaced (or on a
// log axis with logX), one line per series, a legend and a value on every point's tooltip; guides
// are dashed lines of slope `power` on log-log axes through the first point of the first series
// (∝ N², ∝ N), unlabelled by numbers. Positions are rendering, not content: the plotted numbers
// come from the engine.
const NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#e66101', '#5e3c99']; // colour-blind-safe pair (PuOr ends)
const GUIDE = '#767676';

const el = (tag, attrs = {}, text) => {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
};

/** { x: number[], series: [{ name, values }], xLabel, yLabel, log, logX, guides } → <svg>; t: the message function (web/i18n). */
export function lineChart(
  { x, series, xLabel, yLabel, log = false, logX = false, guides = [] },
  { width = 420, height = 240, precision = 3, t },
) {
  const m = { left: 52, right: logX ? 24 : 12, top: 12, bottom: 52 };
  const w = width - m.left - m.right,
    h = height - m.top - m.bottom;
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && (!log || v > 0));
  let lo = Math.min(...all),
    hi = Math.max(...all);
  if (!log) {
    lo = Math.min(0, lo);
    hi = hi === lo ? lo + 1 : hi;
  }
  const ty = (v) => (log ? Math.log10(v) : v);
  const [ylo, yhi] = [ty(lo), ty(hi) === ty(lo) ? ty(lo) + 1 : ty(hi)];
  const [xlo, xhi] = [Math.log10(x[0]), Math.log10(x[x.length - 1])];
  const px = (i) =>
    m.left + (x.length === 1 ? w / 2 : logX ? ((Math.log10(x[i]) - xlo) / (xhi - xlo)) * w : (i / (x.length - 1)) * w);
  const py = (v) => m.top + h - ((ty(v) - ylo) / (yhi - ylo)) * h;
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': t('chart.against', { y: yLabel, x: xLabel }),
    class: 'chart',
  });
  svg.append(el('line', { x1: m.left, y1: m.top + h, x2: m.left + w, y2: m.top + h, class: 'axis' }));
  svg.append(el('line', { x1: m.left, y1: m.top, x2: m.left, y2: m.top + h, class: 'axis' }));
  x.forEach((v, i) =>
    svg.append(el('text', { x: px(i), y: m.top + h + 14, 'text-anchor': 'middle', class: 'tick' }, String(v))),
  );
  svg.append(el('text', { x: m.left + w - 4, y: m.top + h + 28, 'text-anchor': 'end', class: 'label' }, xLabel));
  const yticks = log ? tickLog(lo, hi) : [lo, (lo + hi) / 2, hi];
  for (const t of yticks) {
    svg.append(
      el(
        'text',
        { x: m.left - 6, y: py(t) + 4, 'text-anchor': 'end', class: 'tick' },
        log && t >= 1e5 ? power10(t) : Number(t.toPrecision(precision)).toString(),
      ),
    );
    svg.append(el('line', { x1: m.left, y1: py(t), x2: m.left + w, y2: py(t), class: 'grid' }));
  }
  const slot = Math.min(120, (width - m.left) / (series.length + guides.length));
  // guides: the first series grown as x^power from its first point (drawn only on log-log axes)
  const y0 = series[0]?.values[0];
  guides.forEach((g, k) => {
    if (!(log && logX && y0 > 0 && x.length > 1)) return;
    const gx = m.left + (series.length + k) * slot;
    const dash = { stroke: GUIDE, 'stroke-dasharray': k ? '2 3' : '6 4' };
    const end = Math.min(hi, y0 * (x[x.length - 1] / x[0]) ** g.power);
    const i = (end / y0) ** (1 / g.power) * x[0]; // where the guide leaves the plot
    const [x1, x2] = [px(0), m.left + ((Math.log10(i) - xlo) / (xhi - xlo)) * w];
    svg.append(el('line', { x1, y1: py(y0), x2, y2: py(end), ...dash }));
    svg.append(el('line', { x1: gx, y1: height - 9, x2: gx + 10, y2: height - 9, ...dash }));
    svg.append(el('text', { x: gx + 14, y: height - 5, class: 'legend' }, g.name));
  });
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => [px(i), py(v)]).filter(([, y]) => Number.isFinite(y));
    svg.append(
      el('polyline', {
        points: pts.map((p) => p.join(',')).join(' '),
        fill: 'none',
        stroke: COLOURS[k % 2],
        'stroke-width': 2,
      }),
    );
    s.values.forEach((v, i) => {
      if (!Number.isFinite(py(v))) return;
      const dot = el('circle', { cx: px(i), cy: py(v), r: 3, fill: COLOURS[k % 2] });
      dot.append(el('title', {}, `${s.name}, ${xLabel} = ${x[i]}: ${v}`));
      svg.append(dot);
    });
    // legend below the plot, so it never covers a line
    svg.append(el('rect', { x: m.left + k * slot, y: height - 14, width: 10, height: 10, fill: COLOURS[k % 2] }));
    svg.append(el('text', { x: m.left + 14 + k * slot, y: height - 5, class: 'legend' }, s.name));
  });
  return svg;
}

function tickLog(lo, hi) {
  const out = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) out.push(10 ** p);
  // only the ticks inside the plot (or its ends, when it spans less than a decade)
  const inside = out.filter((t) => t >= lo && t <= hi);
  return inside.length ? inside : [lo, hi];
}

// 10⁶ rather than 1000000 on a log axis: the labels fit the margin
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
function power10(t) {
  return `10${[...String(Math.round(Math.log10(t)))].map((c) => SUPERSCRIPT[c]).join('')}`;
}
