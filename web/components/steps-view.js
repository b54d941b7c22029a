// Renders a worked example — a list of steps, each with its formula, shapes, matrices, heatmaps or
// chart — and updates it in place when only the numbers change, so an edit repaints within a frame.
// Used by <attention-playground> and <attention-steps>.
import { AttentionHeatmap } from './heatmap.js';
import { h, emit, setText } from './element.js';
import { MatrixView } from './matrix.js';
import { tex } from './katex.js';
import { drawChart } from './charts.js';
import { watchOverflow } from './overflow.js';
import { DEFAULT_DIVERGING, DEFAULT_SEQUENTIAL } from './colors.js';
// an export menu item: the exporters load with the first export (a click), not with every page
const exportItem = (label, run) => [label, async () => run(await import('./exporters.js'))];
import { plainLabel } from './format.js';

const sameLabels = (shown, given) => JSON.stringify(shown ?? null) === JSON.stringify(given?.map(String) ?? null);
const shapeOf = (v) => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

/** A key that changes when the structure (not the numbers) changes. */
// What decides the DOM's structure. Texts that follow the inputs (a formula with T = 0.7, a note
// with a number) are rewritten in place by #update, so that dragging a slider keeps the figures.
function noteText(step, options) {
  return [step.note, options.editable ? step.hint : null].filter(Boolean).join(' ');
}

function signature(model, options) {
  return JSON.stringify([
    options.t.lang,
    options.editable,
    options.precision,
    model.steps.map((s) => [
      s.id,
      !!s.tex,
      !!(s.note || s.hint),
      (s.matrices ?? []).map((m) => [
        m.name,
        m.label,
        // not the shapes nor the labels' counts: a matrix of a new shape is rebuilt alone, in place
        // (a sentence of a new length), and a heatmap resizes itself
        !!m.rows,
        !!m.cols,
        !!m.explain,
        m.heatmap,
        !!m.heatmapOnly,
        m.editable,
        m.maskedValue,
        m.action?.label,
        // a checked claim is drawn with its marks: any change redraws it
        m.claimed ? [m.values, m.wrong, m.expected] : null,
      ]),
      !!s.grid,
      s.columns ?? '',
      s.chart ? 'chart' : '',
      // its rows are rewritten in place (#write): only whether there is one decides the structure
      s.comparison ? 'cmp' : '',
      s.view?.tag ?? '',
      s.action?.label ?? '',
      s.status ?? '',
      !!s.first,
    ]),
  ]);
}

// The shapes a step's head lists: its first four matrices (inputs only in the inputs step).
function shapesText(step) {
  const shown = (step.matrices ?? []).filter((m) => !m.editable || step.id === 'inputs');
  const parts = shown.slice(0, 4).map((m) => `${plainLabel(m.label)} ${(m.shape ?? shapeOf(m.values)).join('×')}`); // shape: without reading values
  // past four, how many more (a model's 2 layers × 4 heads read as its first layer's alone)
  if (shown.length > 4) parts.push(`+${shown.length - 4}`);
  return parts.join(' · ');
}

// What a checked claim's caption says: how many cells are wrong, or that it cannot be compared.
function claimTag(m, t) {
  if (!m.expected) return t('steps.claim.wrongShape');
  return m.wrong?.length ? t('steps.claim.wrong', { count: m.wrong.length }) : t('steps.claim.right');
}

export class StepsView {
  #signature = '';
  #views = new Map(); // matrix name → { view?: MatrixView, heatmap?: AttentionHeatmap, spec }
  #visible = new Set(); // ids of the steps on screen
  #pending = new Map(); // step id → the step's latest data, not yet written (it was off screen)
  #observer;
  #texts = new Map(); // step id → { title, tex, note } as shown, with their nodes
  #custom = new Map(); // step id → the element of its Step.view
  #compared = new Map(); // step id → its comparison as last written (JSON)

  constructor(container) {
    this.container = container;
    // Off-screen steps are not rewritten on each edit; they catch up when they scroll into view.
    // With content-visibility: auto on .step, the browser skips their layout and paint too.
    this.#observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const id = e.target.dataset.step;
          if (e.isIntersecting) {
            this.#visible.add(id);
            e.target.classList.add('shown'); // seen once: keep it drawn (no relayout when scrolling back)
            const step = this.#pending.get(id);
            if (step) {
              this.#pending.delete(id);
              this.#write(step, this.#options);
            }
          } else {
            this.#visible.delete(id);
          }
        }
      },
      { rootMargin: '200px' },
    );
  }

  #options = null;

  /** The matrix spec (values, labels, explain logits) last rendered under `name`. */
  spec(name) {
    return this.#views.get(name)?.spec;
  }

  heatmap(name) {
    return this.#views.get(name)?.heatmap;
  }

  /**
   * @param {{ steps: object[] }} model from an example's compute()
   * @param {{ precision: number, editable: boolean, t: Function, scheme?: { sequential?: string, diverging?: string } }} options
   *   t: the message function (web/i18n) of the language to render in
   */
  render(model, options) {
    const sig = signature(model, options);
    this.#options = options;
    if (sig === this.#signature && this.#update(model, options)) return;
    this.#signature = sig;
    this.#views.clear();
    this.#texts.clear();
    this.#custom.clear();
    this.#compared.clear();
    this.#pending.clear();
    this.#visible.clear();
    this.#observer.disconnect();
    const sections = model.steps.map((step, i) => this.#step(step, i, options));
    this.container.replaceChildren(...sections);
    for (const section of sections) this.#observer.observe(section);
  }

  /** Writes every step's new numbers (on-screen steps now, the others when they appear). */
  #update(model, options) {
    for (const step of model.steps) {
      for (const m of step.matrices ?? []) {
        const v = this.#views.get(m.name);
        if (!v) return false;
        v.spec = m; // exports and the arithmetic panel always see the latest numbers
      }
    }
    model.steps.forEach((step, i) => this.#writeTexts(step, i, options));
    for (const step of model.steps) {
      if (this.#visible.has(step.id) || this.#visible.size === 0) this.#write(step, options);
      else this.#pending.set(step.id, step);
    }
    return true;
  }

  // A step's title, formula and note, replaced where they changed.
  #writeTexts(step, index, options) {
    const t = this.#texts.get(step.id);
    const title = `${index + 1} · ${step.title}`;
    const note = noteText(step, options);
    if (t.title !== title) t.titleNode.textContent = t.title = title;
    if (step.tex && t.tex !== step.tex) {
      const node = tex(step.tex);
      t.texNode.replaceWith(node);
      Object.assign(t, { tex: step.tex, texNode: node });
    }
    const shapes = shapesText(step);
    if (t.shapes !== shapes) {
      t.shapeNode.textContent = t.shapes = shapes;
      t.shapeNode.hidden = !shapes;
    }
    if (t.noteNode && t.note !== note) {
      t.noteNode.textContent = t.note = note;
      t.noteNode.hidden = !note;
    }
  }

  #write(step, options) {
    if (step.view) {
      const el = this.#custom.get(step.id);
      if (el) el.data = step.view.data;
    }
    const cmp = step.comparison && JSON.stringify(step.comparison);
    if (cmp && this.#compared.get(step.id) !== cmp) {
      this.#compared.set(step.id, cmp);
      this.container
        .querySelector(`section[data-step="${step.id}"] table.compare`)
        ?.replaceWith(comparison(step, options));
    }
    if (step.chart) {
      const figure = this.container.querySelector(`section[data-step="${step.id}"] figure[data-chart]`);
      if (figure) drawChart(figure, step.chart, { precision: 3, t: options.t });
      return;
    }
    for (const m of step.matrices ?? []) {
      const v = this.#views.get(m.name);
      if (v.view && !v.view.update(m.values, options.precision)) {
        // a new shape (a sentence of a new length): this matrix alone is built again, in its place
        const view = v.make(m);
        v.view.el.replaceWith(view.el);
        v.view = view;
        v.box.className = boxClass(m);
        watchOverflow(v.box);
      }
      v.view?.setLabels(m.rows, m.cols);
      if (v.shapeNode) setText(v.shapeNode, shapeOf(m.values).join(' × '));
      if (v.heatmap) {
        if (!sameLabels(v.heatmap.rows, m.rows)) v.heatmap.rows = m.rows;
        if (!sameLabels(v.heatmap.cols, m.cols)) v.heatmap.cols = m.cols;
        v.heatmap.values = m.values;
        // a title that names the shape ("The weights [1024, 1024], …") follows it
        if (m.title && v.heatTitleNode.textContent !== m.title) {
          v.heatTitleNode.textContent = m.title;
          v.heatmap.setAttribute('label', options.t('steps.heatmapOf', { name: m.title }));
        }
      }
    }
  }

  #step(step, index, options) {
    // a named group, not a region landmark: pages with several figures would repeat the landmarks' names
    const section = h('section', {
      class: step.first ? 'step first-wrong' : 'step',
      'data-step': step.id,
      'data-status': step.status,
      role: 'group',
      'aria-labelledby': `step-${step.id}`,
    });
    const shapes = shapesText(step);
    const texts = { title: `${index + 1} · ${step.title}`, tex: step.tex, note: noteText(step, options), shapes };
    texts.titleNode = h('h3', { id: `step-${step.id}` }, texts.title);
    const badge = step.status
      ? h(
          'span',
          { class: `status ${step.status}` },
          `${options.t(`steps.status.${step.status}`)}${step.first ? options.t('steps.firstWrong') : ''}`,
        )
      : null;
    const action = step.action
      ? h(
          'button',
          {
            type: 'button',
            class: 'action',
            'data-action': step.id,
            onclick: (e) => emit(e.target, 'attention-action', { set: step.action.set }),
          },
          step.action.label,
        )
      : null;
    section.append(
      h(
        'div',
        { class: 'step-head' },
        texts.titleNode,
        badge,
        (texts.shapeNode = h('span', { class: 'shape', hidden: !shapes }, shapes)),
        action,
      ),
    );
    if (step.tex) section.append((texts.texNode = tex(step.tex)));
    if (step.note || step.hint)
      section.append((texts.noteNode = h('p', { class: 'note', hidden: !texts.note }, texts.note)));
    this.#texts.set(step.id, texts);
    if (step.chart) {
      const figure = h('figure', { 'data-chart': step.id });
      section.append(h('div', { class: 'figures' }, figure));
      drawChart(figure, step.chart, { precision: 3, t: options.t });
    }
    if (step.comparison) this.#compared.set(step.id, JSON.stringify(step.comparison));
    // in a box of its own that scrolls sideways where the table is wider than the column (a phone)
    if (step.comparison) {
      section.append(watchOverflow(h('div', { class: 'wide' }, comparison(step, options))));
    }
    if (step.view) {
      // an element of the example's own (registered by the example's lazily loaded code)
      const el = document.createElement(step.view.tag);
      el.data = step.view.data;
      this.#custom.set(step.id, el);
      section.append(h('div', { class: 'view', 'data-heatmap-container': '' }, el));
    }
    if (step.matrices?.length) {
      const figures = h('div', {
        class: step.grid ? 'figures grid' : 'figures',
        'data-heatmap-container': step.grid ? null : '',
        'data-columns': step.grid && step.columns ? String(step.columns) : null,
      });
      for (const m of step.matrices) {
        const out = this.#figure(m, { ...options, grid: step.grid });
        // a matrix and its heatmap stay together: the heatmap wraps below its own matrix, never
        // beside the next one
        figures.append(...(out.length > 1 && !step.grid ? [h('div', { class: 'pair' }, ...out)] : out));
      }
      section.append(figures);
    }
    return section;
  }

  #figure(m, options) {
    const t = options.t;
    const entry = { spec: m };
    this.#views.set(m.name, entry);
    const out = [];
    const editable = m.editable && options.editable;
    if (!m.heatmapOnly) {
      entry.make = (spec) =>
        new MatrixView({
          values: spec.values,
          rows: spec.rows,
          cols: spec.cols,
          precision: options.precision,
          editable,
          focusable: !!spec.explain,
          name: spec.name,
          caption: plainLabel(spec.label),
          wrong: spec.wrong,
          expected: spec.expected,
          t,
        });
      const view = (entry.view = entry.make(m));
      const exportMenu = menu(
        [
          exportItem('CSV', (x) => x.download(`${m.name}.csv`, x.toCSV(entry.spec.values, entry.spec), 'text/csv')),
          exportItem('JSON', (x) =>
            x.download(`${m.name}.json`, x.toJSON(entry.spec.values, entry.spec), 'application/json'),
          ),
          exportItem('NumPy', (x) =>
            x.download(`${m.name}.py`, x.toNumPy(entry.spec.values, entry.spec), 'text/x-python'),
          ),
          exportItem('PyTorch', (x) =>
            x.download(`${m.name}_torch.py`, x.toPyTorch(entry.spec.values, entry.spec), 'text/x-python'),
          ),
        ],
        t('steps.exportMatrix', { name: plainLabel(m.label) }),
        t,
      );
      out.push(
        h(
          'figure',
          { 'data-figure': m.name },
          h(
            'figcaption',
            {},
            h('span', { class: 'name' }, tex(m.label, { inline: true })),
            (entry.shapeNode = h('span', {}, shapeOf(m.values).join(' × '))),
            m.claimed ? h('span', { class: 'tag' }, claimTag(m, t)) : null,
            exportMenu,
          ),
          (entry.box = watchOverflow(
            h(
              'div',
              {
                class: boxClass(m),
                // without focusable cells, the box itself takes focus so that it scrolls from the keyboard
                ...(m.explain ? {} : { tabindex: '0', role: 'group', 'aria-label': plainLabel(m.label) }),
              },
              view.el,
            ),
          )),
        ),
      );
    }
    if (m.heatmap) {
      const heatmap = new AttentionHeatmap();
      heatmap.setAttribute(
        'scheme',
        m.heatmap === 'diverging'
          ? (options.scheme?.diverging ?? DEFAULT_DIVERGING)
          : (options.scheme?.sequential ?? DEFAULT_SEQUENTIAL),
      );
      heatmap.setAttribute('label', t('steps.heatmapOf', { name: m.title ?? plainLabel(m.label) }));
      heatmap.setAttribute('precision', String(options.precision));
      heatmap.setAttribute('data-name', m.name);
      if (m.heatmap === 'sequential' && !m.dataRange) {
        heatmap.min = 0;
        heatmap.max = 1;
      }
      if (m.maskedValue !== undefined) heatmap.maskedValue = m.maskedValue;
      heatmap.rows = m.rows;
      heatmap.cols = m.cols;
      heatmap.values = m.values;
      watchOverflow(heatmap); // on a phone a large heatmap scrolls sideways (heatmap.js): its edge fades
      entry.heatmap = heatmap;
      const exportMenu = menu(
        [
          exportItem('PNG', async (x) => x.download(`${m.name}.png`, await heatmap.toPNG())),
          exportItem('SVG', (x) => x.download(`${m.name}.svg`, heatmap.toSVG(), 'image/svg+xml')),
          ...(m.heatmapOnly
            ? [
                exportItem('CSV', (x) =>
                  x.download(`${m.name}.csv`, x.toCSV(entry.spec.values, entry.spec), 'text/csv'),
                ),
                exportItem('NumPy', (x) =>
                  x.download(`${m.name}.py`, x.toNumPy(entry.spec.values, entry.spec), 'text/x-python'),
                ),
              ]
            : []),
        ],
        t('steps.exportHeatmap', { name: plainLabel(m.label) }),
        t,
      );
      out.push(
        h(
          'figure',
          { 'data-heatmap': m.name, class: 'heat', 'data-heatmap-container': options.grid ? '' : null },
          h(
            'figcaption',
            {},
            (entry.heatTitleNode = h('span', { class: 'name' }, m.title ?? t('steps.heatmap'))),
            m.action
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'action',
                    'data-action': m.name,
                    'aria-label': `${m.action.label}: ${m.title ?? plainLabel(m.label)}`,
                    onclick: (e) => emit(e.target, 'attention-action', { set: entry.spec.action.set }),
                  },
                  m.action.label,
                )
              : null,
            exportMenu,
          ),
          heatmap,
        ),
      );
    }
    return out;
  }
}

// a matrix's scroll box: tall ones get a height limit
const boxClass = (m) => (m.values.length >= 20 ? 'scroll tall' : 'scroll');

function menu(items, label, t) {
  const details = h('details', { class: 'export' }, h('summary', { 'aria-label': label }, t('steps.export')));
  const list = h('div', { role: 'menu' });
  for (const [name, action] of items) {
    list.append(
      h(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          'data-export': name,
          onclick: async () => {
            try {
              await action();
            } catch (e) {
              emit(details, 'attention-error', { message: t('steps.exportFailed', { message: e.message }) });
            }
            details.open = false;
          },
        },
        name,
      ),
    );
  }
  details.append(list);
  return details;
}

function comparison(step, { precision, t }) {
  const rows = step.comparison;
  const given = step.comparisonGiven === true;
  const named = step.comparisonLabels ?? [t('steps.compare.published'), t('steps.compare.correct')];
  const labels = named.length === 3 ? named : [t('steps.compare.step'), ...named];
  // an illustration that is the same on every row is shown once, beside them all
  const once = given && rows.length > 1 && rows.every((r) => r.published === rows[0].published);
  const table = h(
    'table',
    { class: 'compare' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, labels[0]),
        h('th', { scope: 'col' }, labels[1]),
        h('th', { scope: 'col' }, labels[2]),
      ),
    ),
  );
  const body = h('tbody');
  rows.forEach((r, i) => {
    const correct = new MatrixView({ values: r.correct, cols: r.cols, precision, name: `correct-${r.what}`, t });
    const left =
      once && i > 0
        ? null
        : h(
            'td',
            { class: given ? 'given' : 'wrong', rowspan: once ? rows.length : null },
            tex(r.published, { inline: true }),
          );
    body.append(
      h(
        'tr',
        { 'data-compare': r.what },
        h('th', { scope: 'row' }, r.label ?? r.what),
        left,
        h('td', { class: 'right' }, correct.el),
      ),
    );
  });
  table.append(body);
  return table;
}
