// <attention-check>: the checker as an element, for authors who want a check beside their draft.
//
//   <attention-check>
//     X = [[1, 0], [0, 1]]
//     W_Q = W_K = W_V = [[1, 0], [0, 1]]
//     weights = [[0.6698, 0.3302], [0.3302, 0.6698]]
//   </attention-check>
//
// The worked example is the element's text (put text holding "<" in a <script type="text/plain">
// child), or the `text` property. Attributes: scoring ('scaled_dot', default, or 'dot'), causal,
// decimals (what the claims were printed to; default: what each matrix shows), readonly (no paste
// field: the checked steps only), precision (2–6). It shows the playground's `#example=check`
// page: each claimed matrix with its wrong cells marked and the right value beside each, the first
// wrong step highlighted, a diagnosis per wrong step, the Markdown export of the corrected example.
// After each check it emits `attention-check` (bubbling, composed) with { verdict, firstWrong }.
import { BaseElement, emit, sheet } from './element.js';
import { engine } from './engine.js';

const HOST = sheet(':host { display: block; }');

export class AttentionCheck extends BaseElement {
  static observedAttributes = ['scoring', 'causal', 'decimals', 'readonly', 'precision'];

  #playground = null;
  #text = null;
  #result = null;

  constructor() {
    super([HOST]);
    this.shadowRoot.addEventListener('attention-change', (e) => this.#report(e.detail.state));
  }

  /** The worked example checked: the `text` set, else a <script type="text/plain"> child's text, else the element's text. */
  get text() {
    return this.#text ?? dedent((this.querySelector('script[type="text/plain"]') ?? this).textContent);
  }
  set text(value) {
    this.#text = String(value);
    this.invalidate();
  }

  /** The last check: { verdict: 'correct' | 'wrong', firstWrong } (null before the first, or when the text cannot be read). */
  get result() {
    return this.#result;
  }

  async render() {
    if (!this.#playground) {
      this.#playground = document.createElement('attention-playground');
      this.shadowRoot.append(this.#playground);
    }
    const pg = this.#playground;
    pg.toggleAttribute('readonly', this.hasAttribute('readonly'));
    pg.setAttribute('controls', 'paste,scoring,causal,decimals,precision');
    const precision = Number(this.getAttribute('precision'));
    const state = {
      labels: {},
      inputs: {},
      options: {
        scoring: this.getAttribute('scoring') === 'dot' ? 'dot' : 'scaled_dot',
        causal: this.hasAttribute('causal') ? 'yes' : 'no',
        decimals: /^[0-6]$/.test(this.getAttribute('decimals') ?? '') ? this.getAttribute('decimals') : 'auto',
      },
      texts: { paste: this.text },
      precision: Number.isInteger(precision) && precision >= 2 && precision <= 6 ? precision : 4,
    };
    if (await pg.load('check', state)) this.#report(pg.state);
    else this.#result = null; // the text could not be read: the playground says where
  }

  async #report(state) {
    const attn = await engine();
    const { check } = await import('./examples/check-compute.js'); // loaded already, with the example
    try {
      const r = check(attn, state, this.t).result;
      this.#result = { verdict: r.verdict, firstWrong: r.firstWrong };
    } catch {
      this.#result = null; // the playground shows why
      return;
    }
    emit(this, 'attention-check', this.#result);
  }
}

// Text indented to sit inside the page's markup, without its common indentation and blank ends.
function dedent(text) {
  const lines = text.replace(/^\s*\n|\s+$/g, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)[0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}
