// A small SVG line chart for the why-scale and quadratic-cost experiments: x evenly spaced (or on a
// log axis with logX), one line per series, the y axis titled with its unit, a legend and a value on
// every point's tooltip; guides are dashed lines of slope `power` on log-log axes through the first
// point of the first series (∝ N², ∝ N), unlabelled by numbers. Positions are rendering, not
// content: the plotted numbers come from the engine.
//
// drawChart draws a chart at the width of the figure that holds it, and again when that width
// changes, so that its text stays 11 px on a phone (a fixed-size chart scaled down to fit had 7 px
// text at 390 px).
const NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#e66101', '#5e3c99']; // colour-blind-safe pair (PuOr ends)
const GUIDE = '#767676';
const MAX_WIDTH = 640;

const el = (tag, attrs = {}, text) => {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
};

// The width of a label in 11 px system-ui, near enough to lay out ticks and the legend: no text
// is measured (a chart is drawn before it is in the document).
const textWidth = (s) => [...String(s)].reduce((w, c) => w + (c.codePointAt(0) >= 0x2e80 ? 11 : 6.4), 0);

/** { x: number[], series: [{ name, values }], xLabel, yLabel, log, logX, guides } → <svg>; t: the message function (web/i18n). */
function lineChart(
  { x, series, xLabel, yLabel, log = false, logX = false, guides = [] },
  { width = 420, height = 240, precision = 3, t },
) {
  // the legend, laid out in rows under the plot: the series, then the guides (drawn only on log-log axes)
  const showGuides = log && logX && series[0]?.values[0] > 0 && x.length > 1;
  const items = [
    ...series.map((s, k) => ({ name: s.name, colour: COLOURS[k % 2] })),
    ...(showGuides ? guides.map((g, k) => ({ name: g.name, guide: g, dash: k ? '2 3' : '6 4' })) : []),
  ];
  const m = { left: 52, right: logX ? 24 : 12, top: 22 };
  let lx = m.left,
    row = 0;
  for (const it of items) {
    const w = 14 + textWidth(it.name) + 16;
    if (lx > m.left && lx + w > width) ((lx = m.left), row++);
    Object.assign(it, { x: lx, row });
    lx += w;
  }
  m.bottom = 36 + 16 * (row + 1);
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
  // x ticks: every other one (or fewer) where the labels would touch, the last always
  const room = x.length > 1 ? Math.min(...x.slice(1).map((_, i) => px(i + 1) - px(i))) : w;
  const every = Math.max(1, Math.ceil((Math.max(...x.map(textWidth)) + 8) / room));
  x.forEach((v, i) => {
    if ((x.length - 1 - i) % every) return;
    svg.append(el('text', { x: px(i), y: m.top + h + 14, 'text-anchor': 'middle', class: 'tick' }, String(v)));
  });
  svg.append(el('text', { x: m.left + w - 4, y: m.top + h + 28, 'text-anchor': 'end', class: 'label' }, xLabel));
  // the y axis's title (with its unit) above its tick labels
  svg.append(el('text', { x: 2, y: m.top - 10, class: 'label' }, yLabel));
  const yticks = log ? tickLog(lo, hi) : tickLinear(lo, hi);
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
  // guides: the first series grown as x^power from its first point
  const y0 = series[0]?.values[0];
  for (const it of items.filter((it) => it.guide)) {
    const dash = { stroke: GUIDE, 'stroke-dasharray': it.dash };
    const end = Math.min(hi, y0 * (x[x.length - 1] / x[0]) ** it.guide.power);
    const i = (end / y0) ** (1 / it.guide.power) * x[0]; // where the guide leaves the plot
    const [x1, x2] = [px(0), m.left + ((Math.log10(i) - xlo) / (xhi - xlo)) * w];
    svg.append(el('line', { x1, y1: py(y0), x2, y2: py(end), ...dash }));
  }
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
      dot.append(el('title', {}, `${s.name}, ${xLabel} = ${x[i]}, ${yLabel}: ${v}`));
      svg.append(dot);
    });
  });
  // the legend below the plot, so it never covers a line
  for (const it of items) {
    const y = m.top + h + 36 + 16 * it.row;
    if (it.guide) {
      svg.append(
        el('line', { x1: it.x, y1: y + 5, x2: it.x + 10, y2: y + 5, stroke: GUIDE, 'stroke-dasharray': it.dash }),
      );
    } else {
      svg.append(el('rect', { x: it.x, y, width: 10, height: 10, fill: it.colour }));
    }
    svg.append(el('text', { x: it.x + 14, y: y + 9, class: 'legend' }, it.name));
  }
  return svg;
}

const drawn = new WeakMap(); // figure → { spec, options, width }
const resized =
  typeof ResizeObserver === 'function'
    ? new ResizeObserver((entries) => {
        for (const e of entries) {
          const d = drawn.get(e.target);
          if (!e.target.isConnected)
            resized.unobserve(e.target); // a figure taken out of the page
          else if (d && widthOf(e.target) !== d.width) render(e.target, d);
        }
      })
    : null;

// The chart's width: the figure's content box, at most MAX_WIDTH (420 before it is laid out)
function widthOf(figure) {
  const style = getComputedStyle(figure);
  const room = figure.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return room > 0 ? Math.floor(Math.min(MAX_WIDTH, Math.max(240, room))) : 420;
}

function render(figure, d) {
  d.width = widthOf(figure);
  const height = Math.round(Math.min(320, Math.max(240, d.width * 0.5)));
  figure.replaceChildren(lineChart(d.spec, { ...d.options, width: d.width, height }));
}

/** Draws `spec` (see lineChart) into `figure` at its width, and again whenever that width changes. */
export function drawChart(figure, spec, options) {
  const d = { spec, options, width: 0 };
  drawn.set(figure, d);
  render(figure, d);
  resized?.observe(figure);
}

// Round ticks: the powers of ten inside the plot, with 2 and 5 times them when it spans under two
// decades (one labelled tick, "1", could not be read against); the plot's ends when none fall inside.
function tickLog(lo, hi) {
  const out = [];
  const few = hi / lo < 100;
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of few ? [1, 2, 5] : [1]) out.push(Number((m * 10 ** p).toPrecision(1)));
  }
  const inside = out.filter((t) => t >= lo && t <= hi);
  return inside.length ? inside : [lo, hi];
}

// Round ticks on a linear axis: 0 or the low end, then steps of 1, 2 or 5 times a power of ten, three
// to five of them (2.44, 1.22, 0 read worse than 2, 1, 0).
function tickLinear(lo, hi) {
  const raw = (hi - lo) / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

// 10⁶ and 2×10⁵ rather than 1000000 and 200000 on a log axis: the labels fit the margin
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
function power10(t) {
  const p = Math.floor(Math.log10(t) + 1e-9),
    m = Math.round(t / 10 ** p);
  return `${m === 1 ? '' : `${m}×`}10${[...String(p)].map((c) => SUPERSCRIPT[c]).join('')}`;
}
