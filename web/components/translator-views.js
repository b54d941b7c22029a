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
    .drop input[type=file] { max-width: 100%; min-width: 0; }
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
    .nav { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
    .nav > * { white-space: nowrap; }
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
    fieldset.heads { display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; border: 0; padding: 0; margin: 0; }
    fieldset.heads legend { float: left; padding: 0; margin-right: 0.5rem; }
    .head { display: inline-flex; gap: 0.25rem; align-items: center; }
    .head svg { width: 14px; height: 14px; flex: none; }
    .head button { font-size: 0.8rem; padding: 0 0.35rem; }
    .board { display: grid; grid-template-columns: max-content minmax(6rem, 12rem) max-content; align-items: start; }
    .board ul { list-style: none; margin: 0; padding: 0; }
    .board li { height: ${ROW}px; display: flex; align-items: center; }
    .board .left li { justify-content: flex-end; }
    .board li button { height: ${ROW - 4}px; padding: 0 0.45rem; font-size: 0.9rem; white-space: nowrap; }
    .board li button.dim { color: var(--muted); border-color: transparent; }
    .board .w { font: 0.75rem var(--mono); color: var(--muted); margin: 0 0.3rem; min-width: 3.2rem; white-space: nowrap; }
    .board svg { width: 100%; overflow: visible; }
    line { stroke-linecap: round; }
    .readout { font-size: 0.85rem; color: var(--muted); min-height: 1.4em; margin: 0.4rem 0 0; }
  `);

  /**
   * All heads of one layer at once, as BertViz's head view: one colour per head, each head on or off.
   * Data: { views: [{ id, label, rows, cols, heads: number[][][] (H × rows × cols), open: (h) =>
   * (s) => void }], colours: string[] (one per head, cycled), precision, labels: { view, heads,
   * head(n), open(n), hint, readout(side, token, lines) } }.
   */
  class AttentionHeadView extends BaseElement {
    #data = null;
    #view = 0; // index into data.views
    #off = new Set(); // heads switched off (all on by default)
    #isolated = null; // { side: 'left' | 'right', index }
    #nodes;
    #lines = []; // the <line>s drawn, reused from one render to the next
    #tokens = { left: [], right: [] }; // the token buttons (with their weight spans), reused
    #headsKey = ''; // what the head toggles were built for

    constructor() {
      super([BASE, HEADS]);
      this.#nodes = {
        view: h('select', { 'data-head-view': 'view', onchange: (e) => this.#pick(Number(e.target.value)) }),
        viewLabel: h('label', {}),
        heads: h('fieldset', { class: 'heads' }),
        left: h('ul', { class: 'left' }),
        right: h('ul', { class: 'right' }),
        lines: svg('svg', { 'aria-hidden': 'true', preserveAspectRatio: 'none' }),
        readout: h('p', { class: 'readout', id: 'readout', 'aria-live': 'polite' }),
      };
      const n = this.#nodes;
      n.viewLabel.append(h('span', {}), n.view);
      this.shadowRoot.append(
        h('div', { class: 'pickers' }, n.viewLabel, n.heads),
        h('div', { class: 'board' }, n.left, n.lines, n.right),
        n.readout,
      );
      this.shadowRoot.addEventListener('pointerleave', () => this.#isolate(null), true);
    }

    set data(d) {
      this.#data = d;
      if (this.#view >= d.views.length) this.#view = 0;
      this.invalidate();
    }
    get data() {
      return this.#data;
    }

    #pick(view) {
      this.#view = view;
      this.#off.clear(); // a new layer: all its heads on
      this.#isolated = null;
      this.render();
    }

    #current() {
      return this.#data.views[this.#view];
    }

    /** The heads shown: all of the layer's but those switched off. */
    get heads() {
      return this.#current()
        .heads.map((_, i) => i)
        .filter((i) => !this.#off.has(i));
    }

    render() {
      const d = this.#data;
      if (!d) return;
      const n = this.#nodes;
      setText(n.viewLabel.firstChild, d.labels.view);
      const views = d.views.map((v) => v.label).join('\n');
      if (n.view.dataset.views !== views) {
        n.view.dataset.views = views;
        n.view.replaceChildren(...d.views.map((v, i) => h('option', { value: String(i) }, v.label)));
      }
      n.view.value = String(this.#view);
      const v = this.#current();
      this.#renderHeads(v, d);
      this.#renderTokens('left', v.rows);
      this.#renderTokens('right', v.cols);
      const height = Math.max(v.rows.length, v.cols.length) * ROW;
      n.lines.setAttribute('height', String(height));
      n.lines.setAttribute('viewBox', `0 0 100 ${height}`);
      // one line per head, query and key, reused across renders; line strength = the weight as
      // drawn (opacity), nothing computed from it
      const on = this.heads;
      const count = on.length * v.rows.length * v.cols.length;
      while (this.#lines.length < count) {
        const line = svg('line', { x1: 0, x2: 100, 'stroke-width': 3, 'vector-effect': 'non-scaling-stroke' });
        this.#lines.push(line);
        n.lines.append(line);
      }
      let k = 0;
      for (const hd of on) {
        const colour = d.colours[hd % d.colours.length];
        v.heads[hd].forEach((row, i) =>
          row.forEach((weight, j) => {
            const line = this.#lines[k++];
            line.setAttribute('y1', String(i * ROW + ROW / 2));
            line.setAttribute('y2', String(j * ROW + ROW / 2));
            line.setAttribute('stroke', colour);
            line.setAttribute('stroke-opacity', String(weight));
            line.dataset.line = `${hd}-${i}-${j}`;
            line.removeAttribute('display');
          }),
        );
      }
      for (; k < this.#lines.length; k++) {
        this.#lines[k].setAttribute('display', 'none');
        delete this.#lines[k].dataset.line;
      }
      this.#isolate(this.#isolated);
    }

    // a toggle per head (its colour, its name), and a button that opens it step by step
    #renderHeads(v, d) {
      const key = `${this.#view}\n${v.heads.length}\n${d.colours.join()}\n${d.labels.heads}`;
      const n = this.#nodes;
      if (this.#headsKey !== key) {
        this.#headsKey = key;
        n.heads.replaceChildren(
          h('legend', {}, d.labels.heads),
          ...v.heads.map((_, i) => {
            const swatch = svg('svg', { viewBox: '0 0 14 14', 'aria-hidden': 'true' });
            swatch.append(svg('rect', { width: 14, height: 14, rx: 3, fill: d.colours[i % d.colours.length] }));
            const box = h('input', {
              type: 'checkbox',
              'data-head-toggle': String(i),
              onchange: (e) => {
                if (e.target.checked) this.#off.delete(i);
                else this.#off.add(i);
                this.render();
              },
            });
            return h(
              'span',
              { class: 'head' },
              h('label', {}, box, swatch, h('span', { 'data-head-name': '' })),
              h('button', {
                type: 'button',
                'data-head-open': String(i),
                onclick: () => emit(this, 'attention-action', { set: this.#current().open(i) }),
              }),
            );
          }),
        );
      }
      for (const box of n.heads.querySelectorAll('[data-head-toggle]')) {
        const i = Number(box.dataset.headToggle);
        box.checked = !this.#off.has(i);
        const head = box.closest('.head');
        setText(head.querySelector('[data-head-name]'), d.labels.head(i + 1));
        const open = head.querySelector('[data-head-open]');
        setText(open, d.labels.openShort);
        open.setAttribute('aria-label', d.labels.open(i + 1));
      }
    }

    // the tokens of one side as buttons, reused: only their count and words change
    #renderTokens(side, words) {
      const list = this.#tokens[side];
      const ul = this.#nodes[side];
      while (list.length < words.length) {
        const i = list.length;
        const weight = side === 'right' ? h('span', { class: 'w', 'data-weight': String(i) }) : null;
        const button = h('button', {
          type: 'button',
          'data-token': `${side}-${i}`,
          'aria-describedby': 'readout',
          onpointerenter: () => this.#isolate({ side, index: i }),
          onfocus: () => this.#isolate({ side, index: i }),
          onblur: () => this.#isolate(null),
          onkeydown: (e) => this.#key(e, side, i),
        });
        // the weight after the key, so that the lines end at the key itself
        const li = h('li', {}, button, weight);
        list.push({ li, button, weight });
      }
      list.forEach((t, i) => {
        if (i < words.length) {
          setText(t.button, words[i]);
          if (!t.li.isConnected || t.li.parentNode !== ul) ul.append(t.li);
        } else if (t.li.parentNode) t.li.remove();
      });
      if (this.#isolated?.side === side && this.#isolated.index >= words.length) this.#isolated = null;
    }

    /** Arrow keys move along a column of tokens, left and right between the columns. */
    #key(e, side, i) {
      const v = this.#current();
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

    /** Shows only the lines of one token (all of them for null), and its weights in every head shown. */
    #isolate(which) {
      this.#isolated = which;
      const d = this.#data;
      if (!d) return;
      const v = this.#current();
      const p = d.precision;
      for (const line of this.#lines) {
        if (!line.dataset.line) continue;
        const [, i, j] = line.dataset.line.split('-').map(Number);
        const on = !which || (which.side === 'left' ? i === which.index : j === which.index);
        line.setAttribute('visibility', on ? 'visible' : 'hidden');
      }
      for (const side of ['left', 'right'])
        this.#tokens[side].forEach(({ button }, i) =>
          button.classList.toggle('dim', !!which && side === which.side && i !== which.index),
        );
      const heads = this.heads;
      // the weights beside the keys: one number per head shown, in the heads' order
      this.#tokens.right.forEach(({ weight }, j) =>
        setText(
          weight,
          which?.side === 'left' && j < v.cols.length
            ? heads.map((hd) => formatNumber(v.heads[hd][which.index][j], p)).join(' · ')
            : '',
        ),
      );
      if (!which) {
        setText(this.#nodes.readout, d.labels.hint);
        return;
      }
      const lines = heads.map((hd) => [
        hd + 1,
        which.side === 'left'
          ? v.cols.map((c, j) => [c, formatNumber(v.heads[hd][which.index][j], p)])
          : v.rows.map((r, i) => [r, formatNumber(v.heads[hd][i][which.index], p)]),
      ]);
      const name = which.side === 'left' ? v.rows[which.index] : v.cols[which.index];
      setText(this.#nodes.readout, d.labels.readout(which.side, name, lines));
    }
  }

  /** Data: { label, layer (0-based), count, set: (layer) => (s) => void }: which layer the block steps show. */
  class AttentionLayerPicker extends BaseElement {
    #data = null;
    #select;
    #label = h('span');

    constructor() {
      super([BASE, CONTROLS]);
      this.#select = h('select', {
        'data-layer-picker': '',
        onchange: (e) => emit(this, 'attention-action', { set: this.#data.set(Number(e.target.value)) }),
      });
      this.shadowRoot.append(h('label', {}, this.#label, this.#select));
    }

    set data(d) {
      this.#data = d;
      this.invalidate();
    }
    get data() {
      return this.#data;
    }

    render() {
      const d = this.#data;
      if (!d) return;
      setText(this.#label, d.label);
      if (this.#select.options.length !== d.count)
        this.#select.replaceChildren(
          ...Array.from({ length: d.count }, (_, i) => h('option', { value: String(i) }, String(i + 1))),
        );
      this.#select.value = String(d.layer);
      this.#select.dataset.layerPicker = d.kind;
    }
  }

  registry.define('attention-sentence', AttentionSentence);
  registry.define('attention-model-file', AttentionModelFile);
  registry.define('attention-decoding', AttentionDecoding);
  registry.define('attention-head-view', AttentionHeadView);
  registry.define('attention-layer-picker', AttentionLayerPicker);
}
