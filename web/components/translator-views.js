// The trained translator's own controls (Control kind 'element') and figures (Step.view), loaded
// with its example:
//   <attention-sentence>  the sentence field: the vocabulary as suggestions, an unknown word marked
//                         below it with the nearest known words (buttons that put one in its place);
//                         the text stays as typed whether or not the model can read it
//   <attention-model-file> "use your own model": a file picker and drop zone; the file is read in
//                         the page, and one the engine refuses leaves the model in use as it was
//   <attention-decoding>  the source sentence, the translation, and a step control that walks greedy
//                         decoding token by token
//   <attention-head-view> lines from each token to the tokens it attends to, line strength = the
//                         weight (the idea of BertViz's head view); hovering or focusing a token
//                         isolates its lines and lists its weights
// Both draw numbers the engine computed (`data`) and edit the state by emitting `attention-action`
// with `{ set(state) }`, as the playground's controls do. No inline styles: attributes and
// constructable sheets only, so they work under the strict CSP.
//
// The helpers they share with every element come in `kit` from the eagerly loaded example module
// (trained-translator.js): imported here, they would split off a chunk of the main bundle.

/**
 * Registers the four elements (once).
 * @param {{ BaseElement, emit, h, setText, sheet, BASE, formatNumber, engine }} kit
 * @param {{ annotate, vocabulary, openBytes, useModel, modelName, MESSAGES }} translator what the example's compute
 *   module offers its controls
 */
export function defineTranslatorViews(kit, translator, registry = globalThis.customElements) {
  if (!registry || registry.get('attention-head-view')) return;
  const { BaseElement, emit, h, setText, sheet, BASE, formatNumber } = kit;

  const CONTROLS = sheet(`
    :host { display: block; flex: 1 1 100%; font-size: 0.9rem; }
    label { display: flex; gap: 0.5rem; align-items: center; }
    input[type=text] { flex: 1 1 auto; padding: 0.15rem 0.4rem; font-size: 1rem; }
    input[aria-invalid="true"] { border-color: var(--bad); outline: 2px solid var(--bad); }
    .words { margin: 0.3rem 0 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.6rem; min-height: 1.5em; }
    mark { background: none; color: var(--bad); text-decoration: underline wavy var(--bad); font-weight: 600; }
    .near { font-size: 0.8rem; margin-left: 0.3rem; padding: 0 0.4rem; }
    .hint { color: var(--muted); }
    .drop { border: 1px dashed var(--line); border-radius: 6px; padding: 0.3rem 0.6rem; flex-wrap: wrap; }
    .drop.over { border-color: var(--accent); background: var(--bg); }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `);

  class AttentionSentence extends BaseElement {
    #state = null;
    #input;
    #list;
    #words;
    #listFor = null; // the model whose vocabulary the datalist holds
    #label;
    #t = (key) => key;
    /** The page's message function (set by the playground with the state), joined to the translator's part. */
    set t(msg) {
      this.#t = msg.with(translator.MESSAGES);
    }
    get t() {
      return this.#t;
    }

    constructor() {
      super([BASE, CONTROLS]);
      this.#input = h('input', {
        type: 'text',
        'data-control': 'sentence',
        list: 'vocabulary',
        spellcheck: false,
        autocomplete: 'off',
      });
      this.#list = h('datalist', { id: 'vocabulary' });
      this.#words = h('p', { class: 'words', 'aria-live': 'polite' });
      this.#input.addEventListener('input', () => this.#apply());
      this.#label = h('span');
      this.shadowRoot.append(h('label', {}, this.#label, this.#input), this.#list, this.#words);
    }

    set state(s) {
      const first = !this.#state;
      this.#state = s;
      setText(this.#label, this.t('trained-translator.sentence'));
      if (first) this.#input.value = s.texts?.sentence ?? '';
      if (this.#listFor !== s.options.model) {
        this.#listFor = s.options.model;
        this.#list.replaceChildren(...translator.vocabulary(s).map((w) => h('option', { value: w })));
      }
      // the state changed elsewhere (a permalink, a new model): show its sentence unless one is being typed
      const sentence = s.texts?.sentence ?? '';
      if (this.shadowRoot.activeElement !== this.#input && this.#input.getAttribute('aria-invalid') !== 'true')
        this.#input.value = sentence;
      this.#annotate();
    }
    get state() {
      return this.#state;
    }

    #apply() {
      const text = this.#input.value;
      emit(this, 'attention-action', {
        set: (s) => {
          s.texts = { ...s.texts, sentence: text };
        },
        done: (ok) => {
          if (ok) this.#input.removeAttribute('aria-invalid');
          else this.#input.setAttribute('aria-invalid', 'true');
        },
      });
      this.#annotate();
    }

    /** Marks the unknown words below the field, each with buttons for the nearest known ones. */
    #annotate() {
      const t = this.t;
      const words = translator.annotate(this.#state, this.#input.value);
      const unknown = words.filter((w) => !w.known);
      this.#words.replaceChildren(
        ...(unknown.length === 0
          ? [h('span', { class: 'hint' }, t('trained-translator.sentenceHint'))]
          : words.map((w) =>
              w.known
                ? h('span', {}, w.text)
                : h(
                    'span',
                    { class: 'unknown' },
                    h('mark', { 'data-unknown': w.text }, w.text),
                    h('span', {}, ` ${t('trained-translator.unknown')}`),
                    ...w.nearest.map((near) =>
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'near',
                          'data-near': near,
                          'aria-label': t('trained-translator.replaceWord', { word: w.text, near }),
                          onclick: () => {
                            this.#input.value = w.replace(this.#input.value, near);
                            this.#apply();
                            this.#input.focus();
                          },
                        },
                        near,
                      ),
                    ),
                  ),
            )),
      );
    }
  }

  class AttentionModelFile extends BaseElement {
    #zone;
    #input;
    #status;
    #label = h('span');
    #t = (key) => key;
    /** The page's message function (set by the playground with the state), joined to the translator's part. */
    set t(msg) {
      this.#t = msg.with(translator.MESSAGES);
    }
    get t() {
      return this.#t;
    }

    constructor() {
      super([BASE, CONTROLS]);
      this.#input = h('input', { type: 'file', 'data-control': 'model', accept: '.safetensors' });
      this.#status = h('span', { class: 'hint', 'data-model-name': '' });
      this.#zone = h('label', { class: 'drop' }, this.#label, this.#input, this.#status);
      this.#input.addEventListener('change', () => this.#open(this.#input.files[0]));
      this.#zone.addEventListener('dragover', (e) => {
        e.preventDefault();
        this.#zone.classList.add('over');
      });
      this.#zone.addEventListener('dragleave', () => this.#zone.classList.remove('over'));
      this.#zone.addEventListener('drop', (e) => {
        e.preventDefault();
        this.#zone.classList.remove('over');
        this.#open(e.dataTransfer?.files?.[0]);
      });
      this.shadowRoot.append(this.#zone);
    }

    set state(s) {
      setText(this.#label, this.t('trained-translator.modelFile'));
      setText(this.#status, this.t('trained-translator.modelInUse', { name: translator.modelName(s, this.t) }));
    }

    async #open(file) {
      if (!file) return;
      try {
        const attn = await kit.engine();
        const key = await translator.openBytes(attn, new Uint8Array(await file.arrayBuffer()), file.name);
        emit(this, 'attention-action', { set: (s) => translator.useModel(s, key) });
      } catch (e) {
        emit(this, 'attention-error', {
          message: this.t('trained-translator.modelRefused', { file: file.name, message: e.message }),
        });
      }
      this.#input.value = '';
    }
  }

  const ROW = 26; // px per token in the head view (the lines meet the tokens' middles)
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs = {}) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  };

  const DECODING = sheet(`
    :host { display: block; }
    .sentence { font-size: 1.05rem; margin: 0 0 0.4rem; }
    .sentence .arrow { color: var(--muted); margin: 0 0.5rem; }
    ol.tokens { list-style: none; display: flex; flex-wrap: wrap; gap: 0.35rem; margin: 0.4rem 0; padding: 0; }
    ol.tokens button[aria-current="step"] { background: var(--accent); color: var(--bg); border-color: var(--accent); }
    ol.tokens button.ahead { color: var(--muted); border-style: dashed; }
    .nav { display: flex; gap: 0.5rem; align-items: center; }
  `);

  /** Data: { source: string[], tokens: string[], step: number, labels: { ... } }. */
  class AttentionDecoding extends BaseElement {
    #data = null;
    #nodes;

    constructor() {
      super([BASE, DECODING]);
      this.#nodes = {
        sentence: h('p', { class: 'sentence', 'data-translation': '' }),
        tokens: h('ol', { class: 'tokens' }),
        prev: h('button', { type: 'button', 'data-decode': 'prev', onclick: () => this.#go(this.#data.step - 1) }),
        next: h('button', { type: 'button', 'data-decode': 'next', onclick: () => this.#go(this.#data.step + 1) }),
        status: h('span', { class: 'status-text', 'aria-live': 'polite' }),
      };
      this.shadowRoot.append(
        this.#nodes.sentence,
        h('div', { class: 'nav' }, this.#nodes.prev, this.#nodes.next, this.#nodes.status),
        this.#nodes.tokens,
      );
    }

    set data(d) {
      this.#data = d;
      this.invalidate();
    }
    get data() {
      return this.#data;
    }

    #go(step) {
      const d = this.#data;
      if (!d || step < 1 || step > d.tokens.length) return;
      emit(this, 'attention-action', {
        set: (s) => {
          s.options.step = step;
        },
      });
    }

    render() {
      const d = this.#data;
      if (!d) return;
      const { sentence, tokens, prev, next, status } = this.#nodes;
      sentence.replaceChildren(
        h('span', {}, d.source.join(' ')),
        h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
        h('span', { lang: 'zh-CN', 'data-output': '' }, d.translation.join(' ')),
      );
      setText(prev, d.labels.prev);
      setText(next, d.labels.next);
      prev.disabled = d.step <= 1;
      next.disabled = d.step >= d.tokens.length;
      setText(status, d.labels.status);
      tokens.setAttribute('aria-label', d.labels.tokens);
      tokens.replaceChildren(
        ...d.tokens.map((t, i) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                lang: 'zh-CN',
                'data-step-token': String(i + 1),
                class: i + 1 > d.step ? 'ahead' : '',
                'aria-current': i + 1 === d.step ? 'step' : null,
                onclick: () => this.#go(i + 1),
              },
              `${i + 1} · ${t}`,
            ),
          ),
        ),
      );
    }
  }

  const HEADS = sheet(`
    :host { display: block; }
    .pickers { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; font-size: 0.9rem; margin-bottom: 0.5rem; }
    .pickers label { display: inline-flex; gap: 0.35rem; align-items: center; }
    .board { display: grid; grid-template-columns: max-content 12rem max-content; align-items: start; }
    .board ul { list-style: none; margin: 0; padding: 0; }
    .board li { height: ${ROW}px; display: flex; align-items: center; }
    .board .left li { justify-content: flex-end; }
    .board button { height: ${ROW - 4}px; padding: 0 0.45rem; font-size: 0.9rem; white-space: nowrap; }
    .board button.dim { color: var(--muted); border-color: transparent; }
    .board .w { font: 0.75rem var(--mono); color: var(--muted); margin: 0 0.3rem; min-width: 3.2rem; }
    svg { width: 100%; overflow: visible; }
    line { stroke: var(--accent); stroke-linecap: round; }
    .readout { font-size: 0.85rem; color: var(--muted); min-height: 1.4em; margin: 0.4rem 0 0; }
  `);

  /**
   * Data: { views: [{ id, label, rows, cols, heads: number[][][] (H × rows × cols), open: (h) =>
   * (s) => void }], precision, labels: { view, head, open, readout(row, pairs) } }.
   */
  class AttentionHeadView extends BaseElement {
    #data = null;
    #view = 0; // index into data.views
    #head = 0;
    #isolated = null; // { side: 'left' | 'right', index }
    #nodes;

    constructor() {
      super([BASE, HEADS]);
      this.#nodes = {
        view: h('select', { 'data-head-view': 'view', onchange: (e) => this.#pick(Number(e.target.value), 0) }),
        head: h('select', {
          'data-head-view': 'head',
          onchange: (e) => this.#pick(this.#view, Number(e.target.value)),
        }),
        viewLabel: h('label', {}),
        headLabel: h('label', {}),
        open: h('button', { type: 'button', 'data-head-view': 'open', onclick: () => this.#open() }),
        left: h('ul', { class: 'left' }),
        right: h('ul', { class: 'right' }),
        lines: svg('svg', { 'aria-hidden': 'true' }),
        readout: h('p', { class: 'readout', 'aria-live': 'polite' }),
      };
      const n = this.#nodes;
      n.viewLabel.append(h('span', {}), n.view);
      n.headLabel.append(h('span', {}), n.head);
      this.shadowRoot.append(
        h('div', { class: 'pickers' }, n.viewLabel, n.headLabel, n.open),
        h('div', { class: 'board' }, n.left, n.lines, n.right),
        n.readout,
      );
      this.shadowRoot.addEventListener('pointerleave', () => this.#isolate(null), true);
    }

    set data(d) {
      this.#data = d;
      if (this.#view >= d.views.length) this.#view = 0;
      if (this.#head >= d.views[this.#view].heads.length) this.#head = 0;
      this.invalidate();
    }
    get data() {
      return this.#data;
    }

    #pick(view, head) {
      this.#view = view;
      this.#head = head;
      this.#isolated = null;
      this.render();
    }

    #open() {
      const v = this.#data.views[this.#view];
      emit(this, 'attention-action', { set: v.open(this.#head) });
    }

    #current() {
      const v = this.#data.views[this.#view];
      return { v, w: v.heads[this.#head] };
    }

    render() {
      const d = this.#data;
      if (!d) return;
      const n = this.#nodes;
      n.viewLabel.firstChild.textContent = d.labels.view;
      n.headLabel.firstChild.textContent = d.labels.head;
      setText(n.open, d.labels.open);
      n.view.replaceChildren(
        ...d.views.map((v, i) => h('option', { value: String(i), selected: i === this.#view }, v.label)),
      );
      const { v, w } = this.#current();
      n.head.replaceChildren(
        ...v.heads.map((_, i) => h('option', { value: String(i), selected: i === this.#head }, String(i + 1))),
      );
      const token = (side, label, i) =>
        h(
          'li',
          {},
          side === 'right' ? h('span', { class: 'w', 'data-weight': String(i) }) : null,
          h(
            'button',
            {
              type: 'button',
              'data-token': `${side}-${i}`,
              'aria-describedby': 'readout',
              onpointerenter: () => this.#isolate({ side, index: i }),
              onfocus: () => this.#isolate({ side, index: i }),
              onblur: () => this.#isolate(null),
              onkeydown: (e) => this.#key(e, side, i),
            },
            label,
          ),
        );
      n.readout.id = 'readout';
      n.left.replaceChildren(...v.rows.map((t, i) => token('left', t, i)));
      n.right.replaceChildren(...v.cols.map((t, i) => token('right', t, i)));
      const height = Math.max(v.rows.length, v.cols.length) * ROW;
      n.lines.setAttribute('height', String(height));
      n.lines.setAttribute('viewBox', `0 0 100 ${height}`);
      n.lines.setAttribute('preserveAspectRatio', 'none');
      const lines = [];
      w.forEach((row, i) =>
        row.forEach((weight, j) => {
          // line strength = the weight, as drawn (opacity and width), nothing computed from it
          const line = svg('line', {
            x1: 0,
            y1: i * ROW + ROW / 2,
            x2: 100,
            y2: j * ROW + ROW / 2,
            'stroke-opacity': weight,
            'stroke-width': 3,
            'vector-effect': 'non-scaling-stroke',
            'data-line': `${i}-${j}`,
          });
          lines.push(line);
        }),
      );
      n.lines.replaceChildren(...lines);
      this.#isolate(this.#isolated);
    }

    /** Arrow keys move along a column of tokens, left and right between the columns. */
    #key(e, side, i) {
      const { v } = this.#current();
      const count = side === 'left' ? v.rows.length : v.cols.length;
      let target = null;
      if (e.key === 'ArrowDown') target = [side, Math.min(count - 1, i + 1)];
      else if (e.key === 'ArrowUp') target = [side, Math.max(0, i - 1)];
      else if (e.key === 'ArrowRight' && side === 'left') target = ['right', Math.min(v.cols.length - 1, i)];
      else if (e.key === 'ArrowLeft' && side === 'right') target = ['left', Math.min(v.rows.length - 1, i)];
      if (!target) return;
      e.preventDefault();
      this.shadowRoot.querySelector(`[data-token="${target[0]}-${target[1]}"]`)?.focus();
    }

    /** Shows only the lines of one token (all of them for null) and its weights. */
    #isolate(which) {
      this.#isolated = which;
      const d = this.#data;
      const { v, w } = this.#current();
      const p = d.precision;
      for (const line of this.#nodes.lines.children) {
        const [i, j] = line.dataset.line.split('-').map(Number);
        const on = !which || (which.side === 'left' ? i === which.index : j === which.index);
        line.setAttribute('visibility', on ? 'visible' : 'hidden');
      }
      for (const b of this.shadowRoot.querySelectorAll('[data-token]')) {
        const [side, i] = b.dataset.token.split('-');
        b.classList.toggle(
          'dim',
          !!which && !(side === which.side && Number(i) === which.index) && side === which.side,
        );
      }
      const weights = this.shadowRoot.querySelectorAll('[data-weight]');
      for (const span of weights) {
        const j = Number(span.dataset.weight);
        setText(span, which?.side === 'left' ? formatNumber(w[which.index][j], p) : '');
      }
      if (!which) {
        setText(this.#nodes.readout, d.labels.hint);
        return;
      }
      const pairs =
        which.side === 'left'
          ? v.cols.map((c, j) => [c, formatNumber(w[which.index][j], p)])
          : v.rows.map((r, i) => [r, formatNumber(w[i][which.index], p)]);
      const name = which.side === 'left' ? v.rows[which.index] : v.cols[which.index];
      setText(this.#nodes.readout, d.labels.readout(which.side, name, pairs));
    }
  }

  registry.define('attention-sentence', AttentionSentence);
  registry.define('attention-model-file', AttentionModelFile);
  registry.define('attention-decoding', AttentionDecoding);
  registry.define('attention-head-view', AttentionHeadView);
}
