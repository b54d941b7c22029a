// <attention-playground>: one worked example, live. Controls change the options, edits change the
// inputs, and every change recomputes in WASM and repaints. The state is plain JSON, reported in an
// `attention-change` event (bubbling, composed) and settable through the `state` property, which is
// how the page keeps it in the URL.
//
//   <attention-playground example="causal-mask" controls="temperature,mask"></attention-playground>
//
// Attributes: example (a built-in id), controls (comma-separated: labels, scoring, mask, temperature,
// mode, seed, heads, size, randomise, compare, lens, experiment, precision; default all that the
// example offers), readonly (a figure: no controls, no editing), precision (2–6, default 4).
import { BaseElement, emit, h, parseList, setText, sheet } from './element.js';
import { BASE } from './styles.js';
import { engine } from './engine.js';
import { EXAMPLES, MAX_TEXT, SIZE_LIMITS, exampleById } from './examples/index.js';
import { StepsView } from './steps-view.js';
import { tex } from './katex.js';
import { formatNumber } from './format.js';
import { langOf, loadLang } from '../i18n/index.js';

/** A deep copy of a state (plain data: objects, arrays, numbers, strings), without the cost of
 * structuredClone, which took 1.7 ms of a 64-token × 8-head edit: rows of numbers are sliced. */
function clone(v) {
  if (Array.isArray(v)) return typeof v[0] === 'number' ? v.slice() : v.map(clone);
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const key of Object.keys(v)) if (key !== '__proto__') out[key] = clone(v[key]);
  return out;
}
const words = (s) => s.trim().split(/\s+/).filter(Boolean);
/** What an example's lazily loaded code may build its own elements from (Example.load's argument):
 * handed over, not imported there, where it would be split off this bundle into a chunk. */
export const ELEMENT_KIT = { BaseElement, emit, h, setText, sheet, BASE, formatNumber };
const controlName = (c) => (typeof c === 'string' ? c : c.name);
const select = (name, label, options, value, onchange) =>
  h(
    'label',
    {},
    label,
    h(
      'select',
      { 'data-control': name, onchange: (e) => onchange(e.target.value) },
      ...options.map(([v, text]) => h('option', { value: String(v), selected: String(v) === String(value) }, text)),
    ),
  );
// a number field, or a slider (range: true) that shows valueText beside it
const number = (name, label, value, { min, max, step = 1, range = false, valueText }, onchange) =>
  h(
    'label',
    {},
    label,
    h('input', {
      type: range ? 'range' : 'number',
      'data-control': name,
      value: String(value),
      min: String(min),
      max: String(max),
      step: String(step),
      ...(valueText ? { 'aria-valuetext': valueText } : {}),
      onchange: (e) => onchange(e.target),
    }),
    ...(valueText ? [h('output', { 'data-output': name }, valueText)] : []),
  );

export class AttentionPlayground extends BaseElement {
  static observedAttributes = ['example', 'controls', 'readonly', 'precision'];

  #attn = null;
  #example = null;
  #state = null; // the state shown (last one that computed)
  #model = null;
  #steps;
  #nodes;
  #controlsFor = ''; // the example + controls the control bar was built for
  #focused = null; // { matrix, row, col } of the explained weight
  #t = null; // the message function of the language last rendered in

  constructor() {
    super([BASE]);
    const steps = h('div', { class: 'steps' });
    this.#nodes = {
      title: h('h2', { class: 'title' }),
      summary: h('p', { class: 'summary' }),
      controls: h('div', { class: 'controls', role: 'group' }),
      message: h('p', { class: 'message', role: 'alert', hidden: true }),
      steps,
      // a note, not a complementary landmark: two playgrounds on one page would repeat its name
      explain: h('aside', { class: 'explain', role: 'note', 'aria-live': 'polite' }),
      toolbar: h('div', { class: 'toolbar' }),
    };
    this.#nodes.layout = h('div', { class: 'layout' }, steps, this.#nodes.explain);
    this.#steps = new StepsView(steps);
    this.shadowRoot.append(
      this.#nodes.title,
      this.#nodes.summary,
      this.#nodes.controls,
      this.#nodes.message,
      this.#nodes.layout,
      this.#nodes.toolbar,
    );
    this.shadowRoot.addEventListener('attention-edit', (e) => this.#onEdit(e.detail));
    this.shadowRoot.addEventListener('attention-invalid', (e) =>
      this.#message(this.#t('pg.notANumber', { name: e.detail.name, text: e.detail.text })),
    );
    this.shadowRoot.addEventListener('attention-cell-focus', (e) => this.#explain(e));
    this.shadowRoot.addEventListener('attention-error', (e) => this.#message(e.detail.message));
    // an edit from an example's own element (Control kind 'element', Step.view, Matrix.action)
    this.shadowRoot.addEventListener('attention-action', (e) => {
      if (typeof e.detail?.set !== 'function') return;
      const ok = this.#update((n) => e.detail.set(n));
      e.detail.done?.(ok);
    });
  }

  // --- public API -------------------------------------------------------------------------------
  get example() {
    return this.getAttribute('example') ?? EXAMPLES[0].id;
  }
  set example(id) {
    this.setAttribute('example', id);
  }
  get readonly() {
    return this.hasAttribute('readonly');
  }
  set readonly(v) {
    this.toggleAttribute('readonly', !!v);
  }
  get precision() {
    const p = Number(this.#state?.precision ?? this.getAttribute('precision') ?? 4);
    return Number.isInteger(p) && p >= 2 && p <= 6 ? p : 4;
  }
  set precision(p) {
    this.setAttribute('precision', String(p));
  }

  /** The current state (a copy): { labels, inputs, options, precision }. */
  get state() {
    return this.#state ? clone(this.#state) : null;
  }
  /** Shows `state` for the current example; if the engine refuses it, keeps the current one and says why. */
  set state(s) {
    this.#pending = s;
    this.invalidate();
  }

  #pending = null;

  /** Loads an example and, optionally, a state for it. Returns false (with a message) if the state is refused. */
  async load(exampleId, state = null) {
    this.setAttribute('example', exampleId);
    this.#pending = state;
    await this.#ready();
    await exampleById(exampleId)?.load?.(ELEMENT_KIT);
    await loadLang(langOf(this));
    // another example was asked for meanwhile: that call shows it (its code may not be loaded yet)
    if (this.example !== exampleId) return true;
    return this.#apply();
  }

  // --- lifecycle ----------------------------------------------------------------------------------
  async #ready() {
    this.#attn ??= await engine();
  }

  attributeChangedCallback(name, old, value) {
    if (name === 'example' && old !== value) this.#example = null;
    super.attributeChangedCallback();
  }

  async render() {
    const id = this.example;
    try {
      await this.#ready();
    } catch (e) {
      this.#message(this.t('pg.engineFailed', { message: e.message }));
      return;
    }
    try {
      await exampleById(id)?.load?.(ELEMENT_KIT);
      await loadLang(langOf(this));
    } catch (e) {
      // the engine is there: what failed is this example's own code or data (a model file)
      this.#message(this.t('pg.exampleFailed', { message: e.message }));
      return;
    }
    // the example changed while its code loaded: the render that change asked for shows it
    if (this.example !== id) return;
    this.#apply();
  }

  #apply() {
    const id = this.example;
    const example = exampleById(id);
    const t = this.t;
    if (!example) {
      this.#message(t('pg.unknownExample', { id, list: EXAMPLES.map((e) => e.id).join(', ') }));
      return false;
    }
    let ok = true;
    if (this.#example !== example || this.#t !== t) {
      if (this.#example !== example) {
        this.#state = null;
        this.#focused = null;
      }
      this.#example = example;
      this.#t = t;
      this.#nodes.controls.setAttribute('aria-label', t('pg.controls'));
      this.#nodes.explain.setAttribute('aria-label', t('pg.arithmeticPanel'));
      this.#nodes.toolbar.replaceChildren();
      if (!this.#focused) this.#closeExplain();
    }
    if (this.#pending) {
      const s = this.#pending;
      this.#pending = null;
      ok = this.#commit(s, { silent: true });
      if (!ok && !this.#state) this.#commit(this.#defaults(), { silent: true, keepMessage: true });
    } else if (!this.#state) {
      this.#commit(this.#defaults(), { silent: true });
    } else {
      this.#commit(this.#state, { silent: true });
    }
    return ok;
  }

  #defaults() {
    return { ...clone(this.#example.defaults(this.#attn)), precision: Number(this.getAttribute('precision')) || 4 };
  }

  /**
   * Computes `state`; on success shows it (and reports it), on failure keeps what is shown and says
   * why. Nothing the user typed is lost: the invalid input stays in its field.
   */
  #commit(state, { silent = false, keepMessage = false } = {}) {
    let model;
    const started = performance.now();
    try {
      const example = this.#example;
      // examples that compute in the background (in the pool) ask for a repaint when results arrive
      const refresh = () => this.#example === example && this.#state && this.#commit(this.#state, { silent: true });
      model = example.compute(this.#attn, state, this.#t, { refresh });
    } catch (e) {
      this.#message(this.#t('pg.computeFailed', { message: e.message }));
      return false;
    }
    this.#state = state;
    this.#model = model;
    if (!keepMessage) this.#message('');
    const interactive = !this.readonly;
    this.#renderHeader();
    this.#renderControls();
    this.#steps.render(model, { precision: this.precision, editable: interactive, t: this.#t });
    // the arithmetic panel only where a weight can be clicked for it; elsewhere (charts, measured
    // times, a model's heads) the steps take its column too
    const explainable = model.steps.some((step) => step.matrices?.some((m) => m.explain));
    if (this.#nodes.explain.hidden === explainable) {
      this.#nodes.explain.hidden = !explainable;
      this.#nodes.layout.classList.toggle('solo', !explainable);
    }
    // the example is still computing in the background (it will refresh): say so to assistive tech
    if (this.#nodes.steps.ariaBusy !== String(!!model.busy)) this.#nodes.steps.ariaBusy = String(!!model.busy);
    this.#refreshExplain();
    this.lastComputeMs = performance.now() - started;
    if (!silent) emit(this, 'attention-change', { example: this.#example.id, state: this.state });
    return true;
  }

  #update(mutate) {
    const next = clone(this.#state);
    mutate(next);
    return this.#commit(next);
  }

  #message(text) {
    setText(this.#nodes.message, text);
    if (this.#nodes.message.hidden !== !text) this.#nodes.message.hidden = !text;
    if (text) emit(this, 'attention-message', { message: text });
  }

  // --- rendering ------------------------------------------------------------------------------------
  #renderHeader() {
    const t = this.#t;
    setText(this.#nodes.title, t(this.#example.title));
    setText(this.#nodes.summary, t(this.#example.summary));
    const toolbar = this.#nodes.toolbar;
    if (this.readonly) {
      toolbar.replaceChildren();
      return;
    }
    if (!toolbar.firstChild) {
      toolbar.append(
        h(
          'button',
          { type: 'button', 'data-action': 'markdown', onclick: () => this.#exportMarkdown() },
          t('pg.exportMarkdown'),
        ),
      );
    }
  }

  /** The names of the controls shown: what the example offers, filtered by the controls attribute. */
  #allowed() {
    if (this.readonly) return new Set();
    const list = parseList(this.getAttribute('controls'));
    const offered = this.#example.controls.map(controlName);
    const set = new Set(list ? offered.filter((c) => list.includes(c)) : offered);
    if (!list || list.includes('precision')) set.add('precision');
    if (!list || list.includes('reset')) set.add('reset');
    return set;
  }

  #renderControls() {
    const allowed = this.#allowed();
    const s = this.#state,
      o = s.options;
    const own = this.#example.controls.filter((c) => typeof c !== 'string');
    const t = this.#t;
    const key = JSON.stringify([
      this.#example.id,
      t.lang,
      [...allowed],
      s.labels,
      o.mask,
      o.mode,
      o.validLens?.length,
      o.cells?.length,
      o.cells?.[0]?.length,
      this.#example.sizes?.(s),
      own.map((c) => c.choices?.(s, t)),
    ]);
    const bar = this.#nodes.controls;
    bar.hidden = allowed.size === 0;
    if (key === this.#controlsFor) {
      this.#syncControls();
      return;
    }
    this.#controlsFor = key;
    const parts = [];
    for (const control of this.#example.controls) {
      if (allowed.has(controlName(control))) parts.push(...this.#control(control));
    }
    if (allowed.has('reset')) {
      parts.push(
        h(
          'button',
          {
            type: 'button',
            'data-control': 'reset',
            onclick: () => {
              this.#focused = null;
              this.#commit(this.#defaults());
            },
          },
          t('pg.reset'),
        ),
      );
    }
    if (allowed.has('precision')) {
      parts.push(
        select(
          'precision',
          t('pg.decimals'),
          [2, 3, 4, 5, 6].map((x) => [x, String(x)]),
          this.precision,
          (v) =>
            this.#update((n) => {
              n.precision = Number(v);
            }),
        ),
      );
    }
    bar.replaceChildren(...parts);
  }

  /** The elements of one control: a shared one by name, or the example's own (a Control object). */
  #control(control) {
    const s = this.#state,
      o = s.options,
      t = this.#t;
    if (typeof control !== 'string') {
      const apply = (v) => this.#update((n) => control.set(n, v));
      if (control.kind === 'select')
        return [select(control.key, t(control.label), control.choices(s, t), control.get(s), apply)];
      if (control.kind === 'text') return [this.#textControl(control)];
      if (control.kind === 'element') {
        const el = document.createElement(control.tag);
        el.setAttribute('data-control', control.key);
        el.t = t; // the page's language, for its own texts
        el.state = s;
        return [el];
      }
      return [
        number(
          control.key,
          t(control.label),
          control.get(s),
          { ...control, valueText: control.valueText?.(s, t) },
          (input) => this.#setNumber(input, control.min, control.max, (n, v) => control.set(n, v)),
        ),
      ];
    }
    switch (control) {
      case 'labels': {
        const axes = Object.keys(s.labels);
        return axes.map((axis) => this.#labelsControl(axis, t(axes.length > 1 ? `pg.axis.${axis}` : 'pg.tokens')));
      }
      case 'scoring':
        return o.scoring
          ? [
              select(
                'scoring',
                t('pg.scoring'),
                ['dot', 'scaled_dot'].map((v) => [v, t(`pg.scoring.${v}`)]),
                o.scoring,
                (v) =>
                  this.#update((n) => {
                    n.options.scoring = v;
                  }),
              ),
            ]
          : [];
      case 'mask': {
        if (!o.mask) return [];
        const parts = [
          select(
            'mask',
            t('pg.mask'),
            ['none', 'valid', 'causal', 'cells'].map((v) => [v, t(`pg.mask.${v}`)]),
            o.mask,
            (v) =>
              this.#update((n) => {
                n.options.mask = v;
              }),
          ),
          // the fill only where something is masked (with none it changed nothing)
          o.mask !== 'none' &&
            select(
              'fill',
              t('pg.fill'),
              [
                ['-1e6', '−10⁶ (d2l)'],
                ['-Infinity', '−∞'],
              ],
              String(o.fill ?? -1e6),
              (v) =>
                this.#update((n) => {
                  n.options.fill = Number(v);
                }),
            ),
        ].filter(Boolean);
        if (o.mask === 'valid') parts.push(this.#lensControl());
        if (o.mask === 'cells') parts.push(this.#cellsControl());
        return parts;
      }
      case 'temperature':
        return o.temperature === undefined
          ? []
          : [
              h(
                'label',
                {},
                t('pg.temperature'),
                h('input', {
                  type: 'range',
                  'data-control': 'temperature',
                  min: '0.1',
                  max: '5',
                  step: '0.05',
                  value: String(o.temperature),
                  oninput: (e) =>
                    this.#update((n) => {
                      n.options.temperature = Number(e.target.value);
                    }),
                }),
                h('output', { 'data-output': 'temperature' }, String(o.temperature)),
              ),
            ];
      case 'mode': {
        if (!o.mode) return [];
        const parts = [
          select(
            'mode',
            t('pg.mode'),
            ['soft', 'argmax', 'sample'].map((v) => [v, t(`pg.mode.${v}`)]),
            o.mode,
            (v) =>
              this.#update((n) => {
                n.options.mode = v;
              }),
          ),
        ];
        if (o.mode === 'sample' && !this.#example.controls.includes('seed')) parts.push(this.#seedControl());
        return parts;
      }
      case 'seed':
        return [this.#seedControl()];
      case 'size': {
        if (!this.#example.resize) return [];
        const sz = this.#example.sizes(s),
          keys = { tokens: 'pg.tokenCount', dk: 'pg.dk', ...this.#example.sizeLabels };
        return ['tokens', 'dk'].map((which) =>
          number(which, t(keys[which]), sz[which], { min: 1, max: SIZE_LIMITS[which] }, (input) =>
            this.#resize(input, which, t(keys[which])),
          ),
        );
      }
      case 'randomise':
        return this.#example.randomise
          ? [
              h(
                'button',
                {
                  type: 'button',
                  'data-control': 'randomise',
                  onclick: () =>
                    this.#update((n) => {
                      n.options.randomSeed = (n.options.randomSeed ?? 0) + 1;
                      Object.assign(n, this.#example.randomise(this.#attn, n, 1000 + n.options.randomSeed * 7));
                    }),
                },
                t('pg.randomise'),
              ),
            ]
          : [];
      default:
        throw new Error(`example ${this.#example.id}: unknown control “${control}”`);
    }
  }

  /** A multi-line field (kind 'text'): every edit applies; what does not compute stays in the field with a message. */
  #textControl(control) {
    const area = h('textarea', { 'data-control': control.key, rows: String(control.rows ?? 8), spellcheck: false });
    area.value = control.get(this.#state);
    area.addEventListener('input', () => {
      const text = area.value;
      if (text.length > MAX_TEXT) {
        area.setAttribute('aria-invalid', 'true');
        this.#message(this.#t('pg.textTooLong', { label: this.#t(control.label), max: MAX_TEXT, length: text.length }));
        return;
      }
      const ok = this.#update((n) => control.set(n, text));
      if (ok) area.removeAttribute('aria-invalid');
      else area.setAttribute('aria-invalid', 'true');
    });
    return h('label', { class: 'text' }, this.#t(control.label), area);
  }

  #seedControl() {
    return number('seed', this.#t('pg.seed'), this.#state.options.seed ?? 0, { min: 0, max: 2 ** 31 }, (t) =>
      this.#setNumber(t, 0, 2 ** 31, (n, v) => {
        n.options.seed = v;
      }),
    );
  }

  /** Keeps control values in step with the state without rebuilding (so focus and typing survive). */
  #syncControls() {
    const o = this.#state.options;
    const out = this.shadowRoot.querySelector('[data-output="temperature"]');
    if (out) setText(out, String(o.temperature));
    for (const c of this.#example.controls) {
      if (c.kind === 'element') {
        const el = this.shadowRoot.querySelector(`${c.tag}[data-control="${c.key}"]`);
        if (el) {
          el.t = this.#t;
          el.state = this.#state;
        }
      }
      if (c.valueText) {
        // a slider: its value and what it means, kept with the state (the bar is not rebuilt, so
        // a keyboard user's focus stays on it)
        const input = this.shadowRoot.querySelector(`input[data-control="${c.key}"]`),
          text = c.valueText(this.#state, this.#t);
        if (input && Number(input.value) !== c.get(this.#state)) input.value = String(c.get(this.#state));
        input?.setAttribute('aria-valuetext', text);
        const shown = this.shadowRoot.querySelector(`[data-output="${c.key}"]`);
        if (shown) setText(shown, text);
      }
      if (c.kind !== 'text') continue;
      const area = this.shadowRoot.querySelector(`textarea[data-control="${c.key}"]`),
        value = c.get(this.#state);
      if (area && area.value !== value && this.shadowRoot.activeElement !== area) area.value = value;
    }
    for (const button of this.shadowRoot.querySelectorAll('.cells button')) {
      const [i, j] = button.dataset.cell.split(',').map(Number);
      const on = o.cells?.[i]?.[j] ? 'true' : 'false';
      if (button.getAttribute('aria-pressed') !== on) {
        button.setAttribute('aria-pressed', on);
        button.textContent = on === 'true' ? '✓' : '×';
      }
    }
  }

  #labelsControl(which, label) {
    const current = this.#state.labels[which] ?? [];
    return h(
      'label',
      {},
      label,
      h('input', {
        type: 'text',
        'data-control': `labels-${which}`,
        value: current.join(' '),
        spellcheck: false,
        'aria-description': this.#t('pg.oneTokenPerWord'),
        onchange: (e) => this.#setLabels(which, e.target),
      }),
    );
  }

  #setLabels(which, input) {
    const tokens = words(input.value);
    const n = (this.#state.labels[which] ?? []).length;
    const t = this.#t;
    if (tokens.length === 0) {
      this.#message(t('pg.typeAWord'));
      return;
    }
    if (tokens.length > SIZE_LIMITS.tokens) {
      this.#message(t('pg.tooManyTokens', { max: SIZE_LIMITS.tokens, count: tokens.length }));
      return;
    }
    if (tokens.length === n || !this.#example.resize) {
      if (tokens.length !== n) {
        this.#message(t('pg.wrongTokenCount', { n, axis: t(`pg.axisNoun.${which}`), count: tokens.length }));
        return;
      }
      this.#update((s) => {
        s.labels[which] = tokens;
      });
      return;
    }
    const sz = this.#example.sizes(this.#state);
    const next = this.#example.resize(this.#attn, clone(this.#state), {
      ...sz,
      tokens: tokens.length,
      ...(which === 'keys' ? { tokens: sz.tokens, keys: tokens.length } : {}),
    });
    next.labels[which] = tokens;
    this.#commit(next);
  }

  #lensControl() {
    const o = this.#state.options;
    const K = o.cells?.[0]?.length ?? o.validLens.length; // the cells are Q × K (fitMask keeps them so)
    return h(
      'span',
      { class: 'group lens', role: 'group', 'aria-label': this.#t('pg.lengthsGroup') },
      this.#t('pg.lengths'),
      ...o.validLens.map((len, i) =>
        h('input', {
          type: 'number',
          min: '0',
          max: String(K),
          value: String(len),
          'data-control': `len-${i}`,
          'aria-label': this.#t('pg.lengthOfRow', { row: i + 1 }),
          onchange: (e) =>
            this.#setNumber(e.target, 0, K, (n, v) => {
              n.options.validLens[i] = v;
            }),
        }),
      ),
    );
  }

  #cellsControl() {
    const cells = this.#state.options.cells;
    const grid = h('span', { class: 'cells', role: 'grid', 'aria-label': this.#t('pg.cellsGroup') });
    grid.className = 'cells';
    const cols = cells[0].length;
    this.setDynamicStyle(`.cells { grid-template-columns: repeat(${cols}, 1.3rem); }`);
    cells.forEach((row, i) =>
      row.forEach((v, j) =>
        grid.append(
          h(
            'button',
            {
              type: 'button',
              'aria-pressed': v ? 'true' : 'false',
              'data-cell': `${i},${j}`,
              title: this.#t('pg.cellTitle', { i: i + 1, j: j + 1 }),
              onclick: () =>
                this.#update((n) => {
                  n.options.cells[i][j] = n.options.cells[i][j] ? 0 : 1;
                }),
            },
            v ? '✓' : '×',
          ),
        ),
      ),
    );
    return h('span', { class: 'group' }, this.#t('pg.cells'), grid);
  }

  #setNumber(input, min, max, apply) {
    const v = Number(input.value);
    if (!Number.isInteger(v) || v < min || v > max) {
      input.setAttribute('aria-invalid', 'true');
      this.#message(this.#t('pg.integerRange', { name: input.dataset.control, min, max, value: input.value }));
      return;
    }
    input.removeAttribute('aria-invalid');
    this.#update((n) => apply(n, v));
  }

  #resize(input, which, label) {
    const v = Number(input.value);
    const limit = SIZE_LIMITS[which];
    if (!Number.isInteger(v) || v < 1 || v > limit) {
      input.setAttribute('aria-invalid', 'true');
      this.#message(this.#t('pg.sizeLimit', { label, max: limit, value: input.value }));
      return;
    }
    input.removeAttribute('aria-invalid');
    const sz = this.#example.sizes(this.#state);
    this.#commit(this.#example.resize(this.#attn, clone(this.#state), { ...sz, [which]: v }));
  }

  // --- edits ------------------------------------------------------------------------------------------
  #onEdit({ name, row, col, value }) {
    const spec = this.#steps.spec(name);
    const path = spec?.path ?? [name];
    this.#update((n) => {
      let m = n.inputs;
      for (const p of path) m = m[p];
      m[row][col] = value;
    });
  }

  // --- the arithmetic of one weight ----------------------------------------------------------------
  #explain(e) {
    const d = e.detail;
    const name = d.matrix ?? e.composedPath().find((n) => n.dataset?.name)?.dataset.name;
    const spec = name && this.#steps.spec(name);
    if (!spec?.explain) return;
    this.#focused = { name, row: d.row, col: d.col };
    this.#refreshExplain();
    // on a phone (one column) the panel comes after every step, thousands of pixels below the
    // weight: docked, it stays at the bottom of the screen until it is closed (styles.js)
    this.#nodes.explain.classList.add('docked');
    // and the weight stays in sight above it (a weight near the bottom of the screen would be under it)
    const chosen = this.shadowRoot.activeElement ?? e.composedPath()[0];
    requestAnimationFrame(() => {
      const panel = this.#nodes.explain;
      if (!panel.classList.contains('docked') || getComputedStyle(panel).bottom === 'auto') return;
      const p = panel.getBoundingClientRect(),
        c = chosen?.getBoundingClientRect?.();
      if (c && c.bottom > p.top && c.height < p.top) window.scrollBy(0, c.bottom - p.top + 8);
    });
  }

  #closeExplain() {
    this.#focused = null;
    this.#nodes.explain.classList.remove('docked');
    this.#nodes.explain.replaceChildren(h('p', { class: 'note' }, this.#t('pg.arithmeticHint')));
  }

  #refreshExplain() {
    const f = this.#focused;
    const spec = f && this.#steps.spec(f.name);
    if (!spec?.explain || !spec.explain[f.row]) return;
    const p = this.precision;
    const row = spec.explain[f.row];
    const s = this.#attn.softmaxSteps([row]);
    const exp = s.exp.toArray()[0],
      w = s.weights.toArray()[0];
    const max = s.max.data[0],
      sum = s.sum.data[0];
    const n = (x) => formatNumber(x, p);
    const rowLabel = spec.rows?.[f.row] ?? f.row + 1,
      colLabel = spec.cols?.[f.col] ?? f.col + 1;
    const body = h(
      'tbody',
      {},
      ...row.map((l, k) =>
        h(
          'tr',
          { class: k === f.col ? 'chosen' : '' },
          h('th', { scope: 'row' }, String(spec.cols?.[k] ?? k + 1)),
          h('td', {}, n(l)),
          h('td', {}, n(exp[k])),
          h('td', {}, n(w[k])),
        ),
      ),
    );
    const tail =
      sum > 0
        ? `A_{${f.row + 1}${f.col + 1}} = \\frac{e^{L_{${f.row + 1}${f.col + 1}} - m}}{\\sum_k e^{L_{${f.row + 1}k} - m}} = \\frac{${n(exp[f.col]).replace('−', '-')}}{${n(sum)}} = ${n(w[f.col]).replace('−', '-')}`
        : `\\text{${this.#t('pg.allBlocked')}}`;
    this.#nodes.explain.replaceChildren(
      h(
        'button',
        {
          type: 'button',
          class: 'close',
          'data-close': '',
          'aria-label': this.#t('pg.closeArithmetic'),
          onclick: () => this.#closeExplain(),
        },
        '×',
      ),
      h('h3', {}, `${rowLabel} → ${colLabel}`),
      h('p', { class: 'note' }, this.#t('pg.rowMax', { max: n(max), sum: n(sum) })),
      tex(tail),
      h(
        'table',
        { 'data-explain': '' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, this.#t('pg.key')), h('th', {}, 'L'), h('th', {}, 'e^(L−m)'), h('th', {}, 'A')),
        ),
        body,
      ),
    );
  }

  // --- exports ------------------------------------------------------------------------------------
  async #exportMarkdown() {
    // the exporters load with the first export, not with every page
    const { download, toMarkdown } = await import('./exporters.js');
    const md = toMarkdown({
      title: this.#t(this.#example.title),
      summary: this.#t(this.#example.summary),
      t: this.#t,
      steps: this.#model.steps,
      precision: this.precision,
      link: location.href,
    });
    download(`${this.#example.id}.md`, md, 'text/markdown');
  }
}
