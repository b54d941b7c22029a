// <attention-heatmap>: a matrix as a heatmap, drawn on one canvas (labels, cells, colour bar) so that
// 64 × 64 × 8 heads repaint inside a frame. A screen-reader table mirrors the numbers; arrow keys
// move across cells; a tooltip shows the exact value; toPNG()/toSVG() export what is drawn.
// What is drawn is decided once, as plain data (displayList(): labels, cells, numbers, focus, colour
// bar, ticks, title), and two small backends walk it: drawCanvas() for the screen and the PNG,
// toSVGText() for the SVG, so the three cannot show different things.
//
//   <attention-heatmap values="[[0.3, 0.7], [0.5, 0.5]]" rows="Tom,Jerry" cols="汤姆,杰瑞"></attention-heatmap>
//
// Attributes (and properties): values (JSON nested array; property: nested array or { data, shape }),
// rows / cols (comma-separated or JSON), scheme (viridis | cividis | magma | blues | rdbu | puor),
// min / max (default: the data's range; symmetric around 0 for diverging schemes), precision (0–6),
// label (accessible name), masked-value (cells equal to it, like a −1e6 fill, are drawn as masked,
// as −Infinity always is, and left out of the colour range). Events: attention-cell-focus { row, col, value } when the active cell
// changes (click, arrow keys), attention-change { active, value } likewise (the element's state is
// its values and its active cell), attention-cell-select on click / Enter.
import { BaseElement, emit, h, parseList, setText, sheet } from './element.js';
import { colourIndex, colourTable, DEFAULT_SEQUENTIAL, inkFor, inkOn, SCHEMES } from './colors.js';
import { formatNumber } from './format.js';

const STYLE = sheet(`
  :host { display: block; position: relative; color: var(--attention-fg, CanvasText); font: 12px var(--attention-font, system-ui, sans-serif); max-width: 100%; }
  canvas { display: block; outline: none; touch-action: none; }
  canvas:focus-visible { outline: 2px solid var(--attention-accent, #0969da); outline-offset: 2px; }
  .tip { position: absolute; pointer-events: none; background: var(--attention-tip-bg, #1b1f24); color: var(--attention-tip-fg, #fff);
         border-radius: 4px; padding: 2px 6px; white-space: nowrap; font-variant-numeric: tabular-nums; z-index: 2; }
  .tip[hidden] { display: none; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  /* the screen-reader table sits far off screen, where content-visibility lets the browser skip
     its layout and paint (it stays in the accessibility tree): rewriting its numbers then costs the
     next frame nothing */
  table.sr { left: -100000px; top: 0; content-visibility: auto; contain-intrinsic-size: 1px 1px; }
  .problem { color: var(--attention-bad, #cf222e); border: 1px solid currentColor; border-radius: 6px; padding: 0.3rem 0.6rem; margin: 0 0 0.4rem; }
  .problem[hidden] { display: none; }
`);

const FONT = '12px system-ui, "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif';
const BAR = 12; // colour bar width
const KEY = 10; // the masked key's swatch
const GAP = 8;
const LINE = 14; // px a label needs across its baseline
const MASKED = '#8c8c8c'; // masked cells (-Infinity, or the masked-value)
const MASKED_RGBA = [140, 140, 140, 255];
const MASKED_PIXEL = new Uint32Array(new Uint8ClampedArray(MASKED_RGBA).buffer)[0];
const darkMode = globalThis.matchMedia?.('(prefers-color-scheme: dark)') ?? new EventTarget();

export class AttentionHeatmap extends BaseElement {
  static observedAttributes = [
    'values',
    'rows',
    'cols',
    'scheme',
    'min',
    'max',
    'precision',
    'label',
    'cell-size',
    'masked-value',
  ];

  #values = null; // { data: Float32Array|number[], rows, cols }
  #good = null; // the last values that drew: kept on screen when new ones are malformed
  #message;
  #active = null; // [row, col]
  #layout = null;
  #canvas;
  #tip;
  #live;
  #table;
  #tableKey = ''; // the shape and labels of the screen-reader table
  #tableDelay = 0;
  #resize;

  constructor() {
    super([STYLE]);
    this.#canvas = h('canvas', { tabindex: '0', role: 'img' });
    this.#tip = h('div', { class: 'tip', hidden: true, 'aria-hidden': 'true' });
    this.#live = h('div', { class: 'sr', 'aria-live': 'polite' });
    this.#table = h('table', { class: 'sr' });
    this.#message = h('p', { class: 'problem', role: 'alert', hidden: true });
    this.shadowRoot.append(this.#message, this.#canvas, this.#tip, this.#live, this.#table);
    this.#canvas.addEventListener('pointermove', (e) => this.#hover(e));
    this.#canvas.addEventListener('pointerleave', () => {
      if (document.activeElement !== this) this.#tip.hidden = true;
    });
    this.#canvas.addEventListener('click', (e) => {
      const cell = this.#cellAt(e);
      if (cell) this.#activate(cell, true);
    });
    this.#canvas.addEventListener('keydown', (e) => this.#key(e));
    this.#canvas.addEventListener('focus', () => this.#activate(this.#active ?? [0, 0], false));
    this.#canvas.addEventListener('blur', () => {
      this.#tip.hidden = true;
    });
    this.#resize = new ResizeObserver(() => {
      // the room is read here, where layout is clean, and kept: a render that read it would force a
      // layout of whatever the same edit changed elsewhere in the page (a third of a translator
      // edit's frame)
      const l = this.#layout,
        room = (this.#room = this.#measureRoom());
      if (l && this.#cellSize(l.cols, l.chrome, room) === l.cell && l.width > Math.ceil(room) === l.scroll) return;
      this.invalidate();
    });
  }

  connectedCallback() {
    super.connectedCallback();
    this.#room = null; // perhaps in another container now
    this.#resize.observe(this.#container());
    darkMode.addEventListener('change', this.#onScheme);
  }

  #onScheme = () => {
    this.#ink = null;
    this.invalidate();
  };

  // The element whose width the heatmap fits: the nearest ancestor marked data-heatmap-container,
  // else the parent. (A shrink-to-fit parent would size itself from the heatmap: a feedback loop.)
  #container() {
    return this.closest('[data-heatmap-container]') ?? this.parentElement ?? this;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.#resize.disconnect();
    darkMode.removeEventListener('change', this.#onScheme);
  }

  // --- properties, mirrored from attributes --------------------------------------------------
  get values() {
    if (!this.#values && this.hasAttribute('values')) this.#values = normalise(parseJson(this.getAttribute('values')));
    return this.#values;
  }
  set values(v) {
    this.#values = v == null ? null : normalise(v);
    this.invalidate();
  }
  attributeChangedCallback(name) {
    if (name === 'values') this.#values = null; // re-read lazily
    super.attributeChangedCallback();
  }
  // rows and cols reflect to their attributes as JSON (labels may contain commas)
  get rows() {
    return parseList(this.getAttribute('rows'));
  }
  set rows(v) {
    v == null ? this.removeAttribute('rows') : this.setAttribute('rows', JSON.stringify(v.map(String)));
  }
  get cols() {
    return parseList(this.getAttribute('cols'));
  }
  set cols(v) {
    v == null ? this.removeAttribute('cols') : this.setAttribute('cols', JSON.stringify(v.map(String)));
  }
  get scheme() {
    return this.getAttribute('scheme') ?? DEFAULT_SEQUENTIAL;
  }
  set scheme(v) {
    this.setAttribute('scheme', v);
  }
  get precision() {
    const p = Number(this.getAttribute('precision') ?? 4);
    return Number.isInteger(p) && p >= 0 && p <= 6 ? p : 4;
  }
  set precision(v) {
    this.setAttribute('precision', String(v));
  }
  get min() {
    return numberAttr(this, 'min');
  }
  set min(v) {
    v == null ? this.removeAttribute('min') : this.setAttribute('min', String(v));
  }
  get max() {
    return numberAttr(this, 'max');
  }
  set max(v) {
    v == null ? this.removeAttribute('max') : this.setAttribute('max', String(v));
  }
  get label() {
    return this.getAttribute('label') ?? 'heatmap';
  }
  get maskedValue() {
    return numberAttr(this, 'masked-value');
  }
  set maskedValue(v) {
    v == null ? this.removeAttribute('masked-value') : this.setAttribute('masked-value', String(v));
  }
  set label(v) {
    this.setAttribute('label', v);
  }

  // --- rendering ------------------------------------------------------------------------------
  render() {
    let values;
    try {
      values = this.values;
      this.#good = values;
      this.#showMessage('');
    } catch (e) {
      // the author sees why; the reader keeps the last good figure, if there was one
      values = this.#good;
      this.#showMessage(this.t(values ? 'heatmap.keptLast' : 'heatmap.nothing', { message: e.message }));
    }
    if (!values) {
      this.#canvas.width = this.#canvas.height = 0;
      return;
    }
    const { rows, cols } = values;
    const rowLabels = labels(this.rows, rows);
    const colLabels = labels(this.cols, cols);
    const range = this.#range(values);
    // masked cells get a key under the colour bar: a grey swatch, "masked"
    const masked = this.maskedValue;
    const maskedKey = values.data.some((v) => v === -Infinity || v === masked) ? this.t('heatmap.maskedKey') : null;
    const layout = (this.#layout = this.#measure(rowLabels, colLabels, rows, cols, range, maskedKey));
    const dpr = globalThis.devicePixelRatio || 1;
    const canvas = this.#canvas;
    const [w, hgt] = [Math.ceil(layout.width * dpr), Math.ceil(layout.height * dpr)];
    if (canvas.width !== w || canvas.height !== hgt || this.#scrolls !== layout.scroll) {
      // resizing reallocates: only when it changes
      canvas.width = w;
      canvas.height = hgt;
      this.#scrolls = layout.scroll;
      this.setDynamicStyle(this.#sizeStyle(layout));
    }
    canvas.setAttribute('aria-label', this.t('heatmap.canvas', { label: this.label, rows, cols }));
    this.#ink ??= getComputedStyle(this).color; // reset when the colour scheme changes
    const ink = this.#ink;
    const list = this.#displayList(values, rowLabels, colLabels, range, layout, this.#active, this.#colours);
    this.#colours = list.cells.colour; // reused by the next frame: no allocation per edit
    // No text is drawn on the connected canvas: there a font is resolved against the element's
    // style, which forces a style recalc of everything the same edit changed (measured: 5 ms of a
    // translator edit's frame, for a 1 × 5 heatmap). The labels and the colour bar's ticks go on an
    // image outside the document, drawn again only when they or the layout change (128 fillTexts
    // per 64 × 64 figure were a third of a redraw); numbers in cells, when they fit, make the whole
    // figure drawn outside the document and copied.
    const key = [
      layout.width,
      layout.height,
      layout.rowW,
      layout.gridY,
      layout.cell,
      layout.rotate,
      ink,
      dpr,
      this.#labelWidths.key,
      list.ticks.map((t) => t.text).join(' '),
    ].join('|');
    if (this.#labelLayer?.key !== key) {
      const image = this.#labelLayer?.image ?? document.createElement('canvas');
      image.width = w;
      image.height = hgt;
      const lctx = image.getContext('2d');
      lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawLabels(lctx, list.labels, ink);
      drawTicks(lctx, list.ticks, ink);
      this.#labelLayer = { key, image };
    }
    const numbers = list.numbers.length > 0;
    let target = canvas;
    if (numbers) {
      target = this.#back ??= document.createElement('canvas');
      if (target.width !== w || target.height !== hgt) {
        target.width = w;
        target.height = hgt;
      }
    }
    const ctx = target.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, layout.width, layout.height);
    drawCanvas(ctx, list, { ink, labelLayer: this.#labelLayer.image });
    if (numbers) {
      const screen = canvas.getContext('2d');
      screen.setTransform(1, 0, 0, 1, 0, 0);
      screen.clearRect(0, 0, w, hgt);
      screen.drawImage(target, 0, 0);
    }
    if (this.#active && document.activeElement === this && this.shadowRoot.activeElement === canvas)
      this.#showTip(...this.#active);
    this.#scheduleTable(values, rowLabels, colLabels);
  }

  // What this figure shows, as plain data (see displayList), for the screen or an export.
  #displayList(values, rowLabels, colLabels, range, layout, active, colours = null) {
    return displayList({
      values,
      rowLabels,
      colLabels,
      range,
      layout,
      active,
      colours,
      scheme: this.scheme,
      precision: this.precision,
      masked: this.maskedValue,
      title: this.label,
    });
  }

  #showMessage(text) {
    setText(this.#message, text);
    this.#message.hidden = !text;
  }

  #range(values) {
    let lo = this.min,
      hi = this.max;
    if (lo === null || hi === null) {
      let a = Infinity,
        b = -Infinity;
      const masked = this.maskedValue;
      for (const v of values.data)
        if (Number.isFinite(v) && v !== masked) {
          if (v < a) a = v;
          if (v > b) b = v;
        }
      if (a === Infinity) a = b = 0;
      if (SCHEMES[this.scheme]?.diverging) {
        const m = Math.max(Math.abs(a), Math.abs(b)) || 1;
        a = -m;
        b = m;
      }
      lo ??= a;
      hi ??= b;
    }
    return { min: lo, max: hi };
  }

  #measure(rowLabels, colLabels, rows, cols, range, maskedKey = null) {
    const ctx = measuring();
    // the labels' widths, measured again only when the labels change (not on each new value)
    const key = `${rowLabels.join('\n')}\t${colLabels.join('\n')}`;
    if (this.#labelWidths?.key !== key) {
      const widest = (list) => Math.min(160, Math.max(0, ...list.map((s) => ctx.measureText(s).width)));
      this.#labelWidths = { key, rows: widest(rowLabels), cols: widest(colLabels) };
    }
    const rowW = this.#labelWidths.rows + GAP;
    const colMax = this.#labelWidths.cols;
    const ticks = [range.min, range.max].map((v) => formatNumber(v, this.precision));
    const barLabelW = Math.max(
      Math.max(...ticks.map((s) => ctx.measureText(s).width)) + 4,
      // the masked key's text starts past its swatch, at the bar's left edge
      maskedKey ? KEY + 4 + ctx.measureText(maskedKey).width - BAR + 4 : 0,
    );
    const base = rowW + GAP * 3 + BAR + barLabelW;
    // slanted column labels reach past the grid's right edge: their overhang takes room from the cells
    const overhang = colMax * Math.SQRT1_2 * 0.3;
    const room = this.#available();
    // column labels wider than a cell turn 45°, or 90° where cells are too narrow for a slanted
    // line each (they then stand one per cell down to a cell as high as a line of text, and
    // overhang nothing)
    let cell = this.#cellSize(cols, base, room),
      rotate = 0;
    if (colMax > cell - 4) {
      const slanted = this.#cellSize(cols, base + overhang, room);
      if (slanted * Math.SQRT1_2 >= LINE) [cell, rotate] = [slanted, 45];
      else rotate = 90;
    }
    const chrome = base + (rotate === 45 ? overhang : 0);
    const colH = rotate === 45 ? Math.ceil(colMax * Math.SQRT1_2 + 14) : rotate === 90 ? Math.ceil(colMax + 10) : 18;
    const gridW = cell * cols,
      gridH = cell * rows;
    const barH = Math.max(gridH, 60);
    const width = Math.ceil(gridW + chrome);
    const keyH = maskedKey ? KEY + 8 : 0;
    return {
      cols,
      cell,
      chrome,
      // wider than its room even at the smallest cells (a phone): the heatmap scrolls sideways,
      // the page does not
      scroll: width > Math.ceil(room),
      rotate,
      rowW,
      colH,
      gridX: rowW,
      gridY: colH,
      gridW,
      gridH,
      barX: rowW + gridW + GAP * 2,
      barH,
      // every k-th label when cells are smaller than a line of text (the tooltip, the keyboard and
      // the screen-reader table still name every row and column)
      rowStep: Math.ceil(LINE / cell),
      colStep: rotate === 45 ? Math.ceil(LINE / (cell * Math.SQRT1_2)) : rotate === 90 ? Math.ceil(LINE / cell) : 1,
      width,
      height: Math.ceil(colH + Math.max(gridH, barH + keyH) + 4),
      maskedKey: maskedKey && { text: maskedKey, x: rowW + gridW + GAP * 2, y: colH + barH + 8 },
    };
  }

  #scrolls = false; // whether the last size style let the heatmap scroll sideways
  #room = null; // the width the heatmap may take, as the resize observer last measured it
  #back = null; // the canvas outside the document a figure with numbers is drawn on (see render())
  #labelWidths = null; // { key, rows, cols }: the widest row and column label
  #labelLayer = null; // { key, image }: the labels drawn once, for redraws with new values
  #ink = null; // the text colour, read once per colour scheme
  #colours = null; // the cells' colour indices of the last frame (a buffer the next one reuses)

  #cellSize(cols, chrome, room = this.#available()) {
    const fixed = Number(this.getAttribute('cell-size'));
    if (fixed > 0) return fixed;
    return Math.max(6, Math.min(44, Math.floor((room - chrome) / cols)));
  }

  // The width the heatmap may take: its container's content box (clientWidth counts the padding),
  // less the padding and borders of what stands between the two (a figure around the heatmap,
  // inside a container that holds several). Not the heatmap's place in the container: beside a
  // matrix's figure in a row of figures, that left a 2 × 5 heatmap 6-pixel cells and one label
  // of two; it may take the whole row, and the row wraps it below the matrix when it must.
  // Measured by the resize observer (and once before it reports), never in a render.
  #available() {
    return (this.#room ??= this.#measureRoom());
  }

  #measureRoom() {
    const c = this.#container();
    if (!c.clientWidth) return 480;
    const style = getComputedStyle(c);
    const padLeft = parseFloat(style.paddingLeft) || 0;
    const inner = c.clientWidth - padLeft - (parseFloat(style.paddingRight) || 0);
    let frame = 0;
    for (let a = this.parentElement; a && a !== c && c.contains(a); a = a.parentElement) {
      const s = getComputedStyle(a);
      for (const side of ['Left', 'Right']) {
        frame += (parseFloat(s[`padding${side}`]) || 0) + (parseFloat(s[`border${side}Width`]) || 0);
      }
    }
    return inner - frame;
  }

  #sizeStyle(l) {
    return `canvas { width: ${l.width}px; height: ${l.height}px; }${l.scroll ? ' :host { overflow: auto hidden; }' : ''}`;
  }

  #scheduleTable(values, rowLabels, colLabels) {
    // The screen-reader table follows once the values have been still for a moment (not during a
    // drag: its relayout would cost every frame), then when the page is idle, a few rows at a
    // time. Rebuilt whole on a timer, 8 tables of 64 × 64 took 80 ms, and once one frame ran long
    // each timer fired before the next edit and kept every later frame long too.
    const key = `${this.#labelWidths.key}\t${this.label}\t${this.t.lang}`; // these labels (from #measure), caption, language
    let row = 0;
    clearTimeout(this.#tableDelay);
    this.#tableDelay = setTimeout(
      () =>
        whenIdle(this, (hasTime) => {
          if (row === 0) this.#tableSkeleton(key, values, rowLabels, colLabels);
          const p = this.precision,
            body = this.#table.tBodies[0].rows;
          const weights = !SCHEMES[this.scheme]?.diverging,
            masked = this.maskedValue;
          for (; row < values.rows && hasTime(); row++) {
            const cells = body[row].cells; // cells[0] is the row header, cells[1] the row's summary
            const summary = rowSummary(values, row, rowLabels[row], colLabels, masked, p, weights, this.t);
            if (cells[1].firstChild.data !== summary) cells[1].firstChild.data = summary;
            for (let c = 0; c < values.cols; c++) {
              const text = cells[c + 2].firstChild,
                value = formatNumber(values.data[row * values.cols + c], p);
              if (text.data !== value) text.data = value;
            }
          }
          return row === values.rows;
        }),
      250,
    );
  }

  // A table of empty cells for these labels (their counts are the shape), unless it is there.
  #tableSkeleton(key, values, rowLabels, colLabels) {
    if (this.#tableKey === key) return;
    this.#tableKey = key;
    // the corner is a td: it heads nothing (an empty th is an axe violation)
    const head = h(
      'tr',
      {},
      h('td'),
      h('th', { scope: 'col' }, this.t('heatmap.summary')),
      ...colLabels.map((c) => h('th', { scope: 'col' }, c)),
    );
    const body = [];
    for (let r = 0; r < values.rows; r++) {
      const cells = [h('td', { class: 'summary' }, document.createTextNode(''))];
      for (let c = 0; c < values.cols; c++) cells.push(h('td', {}, document.createTextNode('')));
      body.push(h('tr', {}, h('th', { scope: 'row' }, rowLabels[r]), ...cells));
    }
    this.#table.replaceChildren(h('caption', {}, this.label), h('thead', {}, head), h('tbody', {}, ...body));
  }

  // --- interaction ----------------------------------------------------------------------------
  #cellAt(e) {
    const l = this.#layout;
    if (!l) return null;
    const rect = this.#canvas.getBoundingClientRect();
    const x = e.clientX - rect.left - l.gridX,
      y = e.clientY - rect.top - l.gridY;
    const c = Math.floor(x / l.cell),
      r = Math.floor(y / l.cell);
    const v = this.values;
    return v && r >= 0 && c >= 0 && r < v.rows && c < v.cols ? [r, c] : null;
  }

  #hover(e) {
    const cell = this.#cellAt(e);
    if (cell) this.#showTip(...cell);
    else if (document.activeElement !== this) this.#tip.hidden = true;
  }

  #key(e) {
    const v = this.values;
    if (!v) return;
    const [r, c] = this.#active ?? [0, 0];
    const moves = {
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
      Home: [r, 0],
      End: [r, v.cols - 1],
      PageUp: [0, c],
      PageDown: [v.rows - 1, c],
    };
    if (e.key in moves) {
      e.preventDefault();
      const [nr, nc] = moves[e.key];
      this.#activate([Math.min(v.rows - 1, Math.max(0, nr)), Math.min(v.cols - 1, Math.max(0, nc))], false);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.#activate([r, c], true);
    }
  }

  /** Moves the active cell (and focus ring), announces it, and tells listeners. */
  #activate([r, c], select) {
    const v = this.values;
    if (!v) return;
    this.#active = [r, c];
    this.invalidate();
    const detail = {
      row: r,
      col: c,
      value: v.data[r * v.cols + c],
      rowLabel: labels(this.rows, v.rows)[r],
      colLabel: labels(this.cols, v.cols)[c],
    };
    this.#live.textContent = `${detail.rowLabel}, ${detail.colLabel}: ${formatNumber(detail.value, this.precision)}`;
    this.#showTip(r, c);
    emit(this, 'attention-cell-focus', detail);
    emit(this, 'attention-change', { active: [r, c], value: detail.value });
    if (select) emit(this, 'attention-cell-select', detail);
  }

  /** The active cell as [row, col], or null. */
  get activeCell() {
    return this.#active;
  }
  set activeCell(cell) {
    this.#active = cell;
    this.invalidate();
  }

  #showTip(r, c) {
    const l = this.#layout,
      v = this.values;
    if (!l || !v || r >= v.rows || c >= v.cols) return;
    const value = v.data[r * v.cols + c];
    const rl = labels(this.rows, v.rows)[r],
      cl = labels(this.cols, v.cols)[c];
    this.#tip.textContent = `${rl} → ${cl}: ${value === -Infinity ? '−∞' : String(value)}${value === -Infinity || value === this.maskedValue ? this.t('heatmap.masked') : ''}`;
    this.#tip.hidden = false;
    const x = Math.round(l.gridX + (c + 0.5) * l.cell),
      y = Math.round(l.gridY + r * l.cell - 4);
    this.setDynamicStyle(
      `${this.#sizeStyle(l)} .tip { left: ${x}px; top: ${y}px; transform: translate(-50%, -100%); }`,
    );
  }

  // --- export -------------------------------------------------------------------------------
  /** The figure as a PNG Blob, drawn at 2× for print. */
  async toPNG() {
    const list = this.#exportList();
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = list.width * scale;
    canvas.height = list.height * scale;
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    ctx.fillStyle = PAPER;
    ctx.fillRect(0, 0, list.width, list.height);
    drawCanvas(ctx, list, { ink: EXPORT_INK });
    return new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  }

  /** The figure as an SVG document (text). */
  toSVG() {
    return toSVGText(this.#exportList());
  }

  // The display list of the current values in the last layout, without the focus ring.
  #exportList() {
    const v = this.values;
    if (!v || !this.#layout) throw new Error('attention-heatmap: nothing to export');
    return this.#displayList(
      v,
      labels(this.rows, v.rows),
      labels(this.cols, v.cols),
      this.#range(v),
      this.#layout,
      null,
    );
  }
}

/**
 * A row's summary for the screen-reader table, read before its numbers: "x₃ attends most to x₃:
 * 0.5035" for weights (sequential schemes), "x₃: largest at x₂, 1.4142" otherwise. The largest of
 * the values the engine produced, found by comparison (the first on ties); masked cells are skipped.
 */
function rowSummary(values, r, rowLabel, colLabels, masked, precision, weights, t) {
  const at = (c) => values.data[r * values.cols + c];
  let best = -1;
  for (let c = 0; c < values.cols; c++) {
    if (Number.isFinite(at(c)) && at(c) !== masked && (best < 0 || at(c) > at(best))) best = c;
  }
  if (best < 0) return t('heatmap.allMasked', { row: rowLabel });
  const value = formatNumber(at(best), precision);
  return t(weights ? 'heatmap.attendsMost' : 'heatmap.largestAt', { row: rowLabel, col: colLabels[best], value });
}

// --- the display list ------------------------------------------------------------------------------
// Everything a figure shows, as plain data in CSS pixels; the backends below only walk it.
//   labels  [{ text, x, y, anchor: 'start' | 'middle' | 'end', baseline: 'middle' | 'alphabetic',
//             rotate (degrees), maxWidth }]: row and column labels (every k-th when cells are small)
//   cells   { x, y, cell, rows, cols, colour, values, rowLabels, colLabels }: colour[i] is the colour
//           table index of cell i (row-major), or MASKED_INDEX
//   numbers [{ text, x, y, fill, maxWidth }]: the values inside cells, when they fit
//   focus   { x, y, size } or null: the active cell's ring
//   bar     { x, y, width, height, scheme }: the colour table, max at the top
//   ticks   [{ text, x, y, baseline: 'top' | 'bottom' | 'middle' }]: the colour bar's max and min,
//           and the masked key's text when some cell is masked
//   key     { x, y, size } or null: the masked key's grey swatch, under the colour bar
const MASKED_INDEX = 256;

function displayList({
  values,
  rowLabels,
  colLabels,
  range,
  layout: l,
  scheme,
  precision,
  masked,
  active,
  title,
  colours,
}) {
  const { rows, cols, data } = values;
  const isMasked = (v) => v === -Infinity || v === masked;
  const labels = [];
  for (let r = 0; r < rows; r += l.rowStep) {
    labels.push({
      text: rowLabels[r],
      x: l.rowW - GAP,
      y: l.gridY + (r + 0.5) * l.cell,
      anchor: 'end',
      baseline: 'middle',
      rotate: 0,
      maxWidth: l.rowW - GAP,
    });
  }
  for (let c = 0; c < cols; c += l.colStep) {
    const x = l.gridX + (c + 0.5) * l.cell,
      y = l.gridY - 6;
    labels.push(
      l.rotate === 45
        ? { text: colLabels[c], x, y, anchor: 'start', baseline: 'alphabetic', rotate: -45, maxWidth: 160 }
        : l.rotate === 90
          ? { text: colLabels[c], x, y, anchor: 'start', baseline: 'middle', rotate: -90, maxWidth: 160 }
          : { text: colLabels[c], x, y, anchor: 'middle', baseline: 'alphabetic', rotate: 0, maxWidth: l.cell },
    );
  }
  const colour = colours?.length === rows * cols ? colours : new Uint16Array(rows * cols);
  for (let i = 0; i < colour.length; i++) {
    const v = data[i];
    colour[i] = isMasked(v) ? MASKED_INDEX : colourIndex(v, range.min, range.max);
  }
  const numbers = [];
  if (l.cell >= 34 && rows * cols <= 400) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const masked = colour[i] === MASKED_INDEX;
        numbers.push({
          text: masked ? maskedText(data[i]) : formatNumber(data[i], 2),
          x: l.gridX + (c + 0.5) * l.cell,
          y: l.gridY + (r + 0.5) * l.cell,
          fill: masked ? inkOn(...MASKED_RGBA) : inkFor(scheme, colour[i]),
          maxWidth: l.cell - 2,
        });
      }
    }
  }
  const tickX = l.barX + BAR + 4;
  return {
    width: l.width,
    height: l.height,
    title,
    labels,
    cells: { x: l.gridX, y: l.gridY, cell: l.cell, rows, cols, colour, values: data, rowLabels, colLabels },
    numbers,
    focus: active
      ? { x: l.gridX + active[1] * l.cell + 1, y: l.gridY + active[0] * l.cell + 1, size: l.cell - 2 }
      : null,
    bar: { x: l.barX, y: l.gridY, width: BAR, height: l.barH, scheme },
    ticks: [
      { text: formatNumber(range.max, precision), x: tickX, y: l.gridY, baseline: 'top' },
      { text: formatNumber(range.min, precision), x: tickX, y: l.gridY + l.barH, baseline: 'bottom' },
      ...(l.maskedKey
        ? [{ text: l.maskedKey.text, x: l.maskedKey.x + KEY + 4, y: l.maskedKey.y + KEY / 2, baseline: 'middle' }]
        : []),
    ],
    key: l.maskedKey ? { x: l.maskedKey.x, y: l.maskedKey.y, size: KEY } : null,
  };
}

const PAPER = '#ffffff'; // the exports' background
const EXPORT_INK = '#1b1f24'; // the exports' text colour
const NUMBER_FONT = '10px system-ui, sans-serif';

// --- canvas backend: the screen and the PNG ---------------------------------------------------------
const ALIGN = { start: 'left', middle: 'center', end: 'right' };

// The labels (drawn once per set of labels and layout on screen: see render()).
function drawLabels(ctx, labels, ink) {
  ctx.font = FONT;
  ctx.fillStyle = ink;
  for (const t of labels) {
    ctx.textAlign = ALIGN[t.anchor];
    ctx.textBaseline = t.baseline;
    if (t.rotate) {
      ctx.save();
      ctx.translate(t.x, t.y);
      ctx.rotate((t.rotate * Math.PI) / 180);
      ctx.fillText(t.text, 0, 0, t.maxWidth);
      ctx.restore();
    } else {
      ctx.fillText(t.text, t.x, t.y, t.maxWidth);
    }
  }
}

// A masked cell's value in its cell: d2l's fill -1e6 printed as "−1.00e+6" overran a 42-pixel cell
// into its neighbours; "−1e6" fits (the tooltip and the table keep the full value).
function maskedText(v) {
  const text = formatNumber(v, 2);
  return text.length > 6 && Number.isFinite(v) ? v.toExponential(0).replace('e+', 'e').replace('-', '−') : text;
}

// The display list on a canvas: labels and ticks (unless `labelLayer`, an image of them, is given),
// cells, numbers, focus and colour bar.
function drawCanvas(ctx, list, { ink, labelLayer = null }) {
  if (labelLayer) ctx.drawImage(labelLayer, 0, 0, list.width, list.height);
  else drawLabels(ctx, list.labels, ink);
  // cells: one pixel per cell in an ImageData, scaled up without smoothing
  const { pixels } = colourTable(list.bar.scheme);
  const cells = list.cells;
  const img = new ImageData(cells.cols, cells.rows);
  const out = new Uint32Array(img.data.buffer); // one word per pixel, in the table's byte order
  for (let i = 0; i < out.length; i++) {
    const index = cells.colour[i];
    out[i] = index === MASKED_INDEX ? MASKED_PIXEL : pixels[index];
  }
  const bitmap = scratch(0, cells.cols, cells.rows);
  bitmap.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, cells.x, cells.y, cells.cols * cells.cell, cells.rows * cells.cell);
  if (list.numbers.length) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = NUMBER_FONT;
    for (const n of list.numbers) {
      ctx.fillStyle = n.fill;
      ctx.fillText(n.text, n.x, n.y, n.maxWidth);
    }
    ctx.font = FONT;
  }
  if (list.focus) {
    ctx.strokeStyle = ink;
    ctx.lineWidth = 2;
    ctx.strokeRect(list.focus.x, list.focus.y, list.focus.size, list.focus.size);
  }
  // colour bar: the 256 colours, top = max, scaled to the bar without smoothing
  const b = list.bar;
  const bar = new ImageData(1, 256);
  const barOut = new Uint32Array(bar.data.buffer);
  for (let i = 0; i < 256; i++) barOut[i] = pixels[255 - i];
  const barBitmap = scratch(1, 1, 256);
  barBitmap.getContext('2d').putImageData(bar, 0, 0);
  ctx.drawImage(barBitmap, 0, 0, 1, 256, b.x, b.y, b.width, b.height);
  if (list.key) {
    ctx.fillStyle = MASKED;
    ctx.fillRect(list.key.x, list.key.y, list.key.size, list.key.size);
  }
  if (!labelLayer) drawTicks(ctx, list.ticks, ink);
}

// The colour bar's max and min (drawn with the labels on screen: see render()).
function drawTicks(ctx, ticks, ink) {
  ctx.font = FONT;
  ctx.fillStyle = ink;
  ctx.textAlign = 'left';
  for (const t of ticks) {
    ctx.textBaseline = t.baseline;
    ctx.fillText(t.text, t.x, t.y);
  }
}

// --- SVG backend: the SVG export --------------------------------------------------------------------
const SVG_BASELINE = { middle: 'middle', alphabetic: 'auto', top: 'hanging', bottom: 'text-after-edge' };
const esc = (s) =>
  String(s).replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);

// A text element at (x, y) with the canvas's alignment; the text as text, never markup.
function svgText({ text, x, y, anchor = 'start', baseline = 'alphabetic', rotate = 0 }, extra = '') {
  const place = rotate ? `transform="translate(${x} ${y}) rotate(${rotate})"` : `x="${x}" y="${y}"`;
  const align = `${anchor === 'start' ? '' : ` text-anchor="${anchor}"`}${baseline === 'alphabetic' ? '' : ` dominant-baseline="${SVG_BASELINE[baseline]}"`}`;
  return `<text ${place}${align}${extra}>${esc(text)}</text>`;
}

/** The display list as an SVG document; every cell carries a <title> naming its row, column and value. */
function toSVGText(list) {
  const { css } = colourTable(list.bar.scheme);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${list.width}" height="${list.height}" viewBox="0 0 ${list.width} ${list.height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${esc(list.title)}</title>`,
    `<rect width="100%" height="100%" fill="${PAPER}"/>`,
    `<g fill="${EXPORT_INK}">`,
  ];
  for (const t of list.labels) out.push(svgText(t));
  out.push('</g>');
  const c = list.cells;
  for (let r = 0; r < c.rows; r++) {
    for (let col = 0; col < c.cols; col++) {
      const i = r * c.cols + col;
      const fill = c.colour[i] === MASKED_INDEX ? MASKED : css[c.colour[i]];
      out.push(
        `<rect x="${c.x + col * c.cell}" y="${c.y + r * c.cell}" width="${c.cell}" height="${c.cell}" fill="${fill}"><title>${esc(c.rowLabels[r])} → ${esc(c.colLabels[col])}: ${c.values[i]}</title></rect>`,
      );
    }
  }
  if (list.numbers.length) {
    out.push('<g font-size="10">');
    for (const n of list.numbers)
      out.push(svgText({ ...n, anchor: 'middle', baseline: 'middle' }, ` fill="${n.fill}"`));
    out.push('</g>');
  }
  if (list.focus)
    out.push(
      `<rect x="${list.focus.x}" y="${list.focus.y}" width="${list.focus.size}" height="${list.focus.size}" fill="none" stroke="${EXPORT_INK}" stroke-width="2"/>`,
    );
  // the colour bar: the table's 256 colours as stops, max at the top
  const b = list.bar;
  out.push('<defs><linearGradient id="bar" x1="0" y1="1" x2="0" y2="0">');
  for (let i = 0; i < 256; i += 15) out.push(`<stop offset="${i / 255}" stop-color="${css[i]}"/>`);
  out.push('</linearGradient></defs>');
  out.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="url(#bar)"/>`);
  if (list.key)
    out.push(
      `<rect x="${list.key.x}" y="${list.key.y}" width="${list.key.size}" height="${list.key.size}" fill="${MASKED}"/>`,
    );
  out.push(`<g fill="${EXPORT_INK}">`);
  for (const t of list.ticks) out.push(svgText(t));
  out.push('</g>', '</svg>');
  return out.join('\n');
}

// A context outside the document, in the labels' font, to measure text with (see render()).
let measure = null;
function measuring() {
  if (!measure) {
    measure = document.createElement('canvas').getContext('2d');
    measure.font = FONT;
  }
  return measure;
}

// Reusable canvases for the one-pixel-per-cell bitmap (0) and the colour bar (1), drawn, then
// scaled into the figure; each keeps its size across draws (resizing reallocates).
const scratchCanvases = [];
function scratch(slot, width, height) {
  const canvas = (scratchCanvases[slot] ??= document.createElement('canvas'));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return canvas;
}

// Work for when the page is idle: the latest job per owner, run while the idle period lasts.
// A job gets hasTime() and returns true once done; it is called again, later, until then.
// requestIdleCallback where there is one (not in Safari), else a timer.
const idleJobs = new Map(); // owner → job
let idleScheduled = false;
function whenIdle(owner, job) {
  idleJobs.set(owner, job);
  scheduleIdleJobs();
}
function scheduleIdleJobs() {
  if (idleScheduled) return;
  idleScheduled = true;
  if (globalThis.requestIdleCallback) requestIdleCallback(runIdleJobs, { timeout: 1000 });
  else setTimeout(runIdleJobs, 50);
}
function runIdleJobs(deadline) {
  idleScheduled = false;
  const hasTime = () => !deadline || deadline.didTimeout || deadline.timeRemaining() > 2;
  for (const [owner, job] of idleJobs) {
    if (!hasTime()) break;
    if (!job(hasTime)) break;
    idleJobs.delete(owner);
  }
  if (idleJobs.size) scheduleIdleJobs();
}

function numberAttr(el, name) {
  const v = el.getAttribute(name);
  if (v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function labels(given, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(given?.[i] ?? String(i + 1));
  return out;
}

/** { data, rows, cols } from nested arrays (1-D or 2-D) or a { data, shape } tensor. */
// The values attribute: JSON, with the error naming the attribute.
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TypeError(`values: not valid JSON (${e.message})`);
  }
}

function normalise(v) {
  if (v && !Array.isArray(v) && 'data' in v && 'shape' in v) {
    const shape = v.shape.length === 1 ? [1, v.shape[0]] : v.shape;
    if (shape.length !== 2) throw new RangeError(`values: expected a matrix, got shape [${v.shape.join(', ')}]`);
    return { data: v.data, rows: shape[0], cols: shape[1] };
  }
  if (!Array.isArray(v)) throw new TypeError('values: expected a nested array or { data, shape }');
  const rows = Array.isArray(v[0]) ? v : [v];
  const cols = rows[0].length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== cols) throw new TypeError(`values: row ${r} has a different length`);
    row.forEach((x, c) => {
      if (typeof x !== 'number' && x !== null) throw new TypeError(`values: [${r}][${c}] is not a number`);
      data[r * cols + c] = x === null ? -Infinity : x; // JSON has no -Infinity: null stands for masked
    });
  });
  return { data, rows: rows.length, cols };
}
