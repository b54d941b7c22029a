// <attention-steps>: a worked example, step by step (formula, shapes, numbers, heatmaps), read-only.
//
//   <attention-steps example="self-attention"></attention-steps>
//   <attention-steps>
//     <script type="application/json">
//       { "queries": [[1, 0], [0, 1]], "keys": [[1, 0], [0, 1], [1, 1]], "values": [[1], [2], [3]],
//         "options": { "causal": true }, "labels": { "queries": ["a", "b"], "keys": ["x", "y", "z"] } }
//     </script>
//   </attention-steps>
//
// The JSON holds queries, keys, values and options as the engine's attention() takes them, or, for
// self-attention, x with wq, wk, wv. A JSON child is data, not script: strict CSPs allow it.
// JSON that is malformed, over 1 MB, holds __proto__/constructor/prototype keys or inputs the engine
// refuses is reported in the element; the steps shown stay the last good ones, or, before any, the
// built-in self-attention example (DEFAULT_EXAMPLE), so a reader always gets a working figure.
// Attributes: example (a built-in id), precision (2–6). Property: spec (the same object as the JSON).
// Event: attention-change { example | spec } after each render.
import { BaseElement, emit, h } from './element.js';
import { BASE } from './styles.js';
import { engine } from './engine.js';
import { EXAMPLES, exampleById } from './examples/index.js';
import { attentionSteps } from './examples/attention-steps.js';
import { colNames } from './examples/model.js';
import { StepsView } from './steps-view.js';
import { langOf, loadLang } from '../i18n/index.js';

const SPEC_KEYS = ['queries', 'keys', 'values', 'x', 'wq', 'wk', 'wv', 'options', 'labels', 'title'];
const DEFAULT_EXAMPLE = 'self-attention';

export class AttentionSteps extends BaseElement {
  static observedAttributes = ['example', 'precision'];

  #spec = null;
  #rendered = false; // whether the steps show something good (then an error keeps them)
  #view;
  #message;
  #title;
  #observer = new MutationObserver(() => this.invalidate());

  constructor() {
    super([BASE]);
    this.#title = h('h2', { class: 'title', hidden: true });
    this.#message = h('p', { class: 'message', role: 'alert', hidden: true });
    const steps = h('div', { class: 'steps' });
    this.#view = new StepsView(steps);
    this.shadowRoot.append(this.#title, this.#message, steps);
  }

  connectedCallback() {
    super.connectedCallback();
    // a JSON child written (or replaced) after the element was created is picked up too
    this.#observer.observe(this, { childList: true, characterData: true, subtree: true });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.#observer.disconnect();
  }

  get example() {
    return this.getAttribute('example');
  }
  set example(v) {
    this.setAttribute('example', v);
  }
  get precision() {
    const p = Number(this.getAttribute('precision') ?? 4);
    return Number.isInteger(p) && p >= 2 && p <= 6 ? p : 4;
  }
  set precision(v) {
    this.setAttribute('precision', String(v));
  }
  /** The inputs as an object ({ queries, keys, values, options, labels } or { x, wq, wk, wv, ... }). */
  get spec() {
    return this.#spec ?? this.#readJson();
  }
  set spec(v) {
    this.#spec = v;
    this.invalidate();
  }

  #readJson() {
    const script = this.querySelector('script[type="application/json"]');
    if (!script) return null;
    const text = script.textContent;
    if (text.length > 1_000_000) throw new RangeError('the JSON is over 1 MB');
    const spec = JSON.parse(text, (key, v) => {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype')
        throw new TypeError(`forbidden key “${key}”`);
      return v === '-Infinity' ? -Infinity : v;
    });
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new TypeError('expected a JSON object');
    for (const key of Object.keys(spec)) {
      if (!SPEC_KEYS.includes(key)) throw new TypeError(`unknown field “${key}”; expected ${SPEC_KEYS.join(', ')}`);
    }
    return spec;
  }

  async render() {
    let attn;
    try {
      attn = await engine();
    } catch (e) {
      this.#show(this.t('pg.engineFailed', { message: e.message }));
      return;
    }
    try {
      await loadLang(langOf(this));
      await exampleById(this.example)?.load?.(); // code an example loads on first use
    } catch (e) {
      this.#show(this.t('pg.exampleFailed', { message: e.message }));
      return;
    }
    const t = this.t;
    let model,
      title = '';
    try {
      const id = this.example;
      if (id) {
        const example = exampleById(id);
        if (!example)
          throw new RangeError(t('steps.unknownExample', { id, list: EXAMPLES.map((e) => e.id).join(', ') }));
        model = example.compute(attn, example.defaults(attn), t);
        title = t(example.title);
      } else {
        const spec = this.spec;
        if (!spec) {
          this.#show(t('steps.noInputs'));
          return;
        }
        model = fromSpec(attn, spec, t);
        title = spec.title ?? '';
      }
    } catch (e) {
      if (this.#rendered) {
        this.#show(t('steps.keptLast', { message: e.message }));
        return;
      }
      const fallback = exampleById(DEFAULT_EXAMPLE);
      this.#show(t('steps.fallback', { message: e.message, title: t(fallback.title) }));
      this.#title.textContent = t(fallback.title);
      this.#title.hidden = false;
      this.#view.render(fallback.compute(attn, fallback.defaults(attn), t), {
        precision: this.precision,
        editable: false,
        t,
      });
      return;
    }
    this.#rendered = true;
    this.#show('');
    this.#title.textContent = title;
    this.#title.hidden = !title;
    this.#view.render(model, { precision: this.precision, editable: false, t });
    emit(this, 'attention-change', this.example ? { example: this.example } : { spec: this.spec });
  }

  #show(text) {
    this.#message.textContent = text;
    this.#message.hidden = !text;
  }
}

/** Steps for inputs given as data: attention of queries over keys/values, or self-attention of x. */
function fromSpec(attn, spec, t) {
  const options = spec.options ?? {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError('options must be an object');
  if (spec.x !== undefined) {
    const r = attn.selfAttention(spec.x, { wq: spec.wq, wk: spec.wk, wv: spec.wv, ...options });
    const n = r.q.shape.at(-2);
    const tokens = spec.labels?.tokens ?? spec.labels?.queries ?? colNames('x', n);
    const dims = colNames('d', r.q.shape.at(-1));
    const steps = [
      {
        id: 'projections',
        title: t('att.projections'),
        tex: 'Q = X W_Q, \\quad K = X W_K, \\quad V = X W_V',
        matrices: [
          ['q', 'Q', r.q],
          ['k', 'K', r.k],
          ['v', 'V', r.v],
        ].map(([name, label, t]) => ({ name, label, values: t.toArray(), rows: tokens, cols: dims })),
      },
    ];
    const { steps: rest } = attentionSteps(attn, {
      q: r.q.toArray(),
      k: r.k.toArray(),
      v: r.v.toArray(),
      rows: tokens,
      cols: tokens,
      options,
      t,
    });
    return { steps: [...steps, ...rest] };
  }
  const matrix = (name) => {
    const m = spec[name];
    if (m === undefined) throw new TypeError(`${name}: required (or give x, wq, wk, wv for self-attention)`);
    if (!Array.isArray(m) || !Array.isArray(m[0]) || Array.isArray(m[0][0]))
      throw new TypeError(`${name}: expected a matrix (an array of rows)`);
    return m;
  };
  const queries = matrix('queries'),
    keys = matrix('keys'),
    values = matrix('values');
  const rows = spec.labels?.queries ?? colNames('q', queries.length);
  const cols = spec.labels?.keys ?? colNames('k', keys.length);
  const inputs = {
    id: 'inputs',
    title: t('att.qkvInputs'),
    tex: 'Q,\\; K,\\; V',
    matrices: [
      ['queries', 'Q', queries, rows],
      ['keys', 'K', keys, cols],
      ['values', 'V', values, cols],
    ].map(([name, label, m, r]) => ({
      name,
      label,
      values: m,
      rows: r,
      cols: colNames('', m[0].length).map((_, i) => String(i + 1)),
    })),
  };
  const { steps } = attentionSteps(attn, { q: queries, k: keys, v: values, rows, cols, options, t });
  return { steps: [inputs, ...steps] };
}
