// The step model: what a worked example declares and what the views (steps-view.js, playground.js)
// render. An example is one module in this folder exporting an Example as its default; index.js
// lists them in page order. Examples compute nothing themselves: every number in a Step comes from
// the engine (`attn`), the example only slices and labels what it returns.
//
// Texts: an example writes no user-visible words itself. Fields declared once (Example.title and
// summary, Control.label, sizeLabels) hold keys of the message catalogue (web/i18n/en.js); what
// compute() and choices() produce is written with the message function they receive (`msg`),
// `msg('key', { param })`, so that it comes out in the language of the element that shows it.

/** Input limits of the playground's controls: one frame's worth of work per edit. */
export const SIZE_LIMITS = { tokens: 64, dk: 64, heads: 8 };
/** The most text a state may hold (state.texts, all fields together): what fits in a permalink. */
export const MAX_TEXT = 60_000;

/**
 * The state of an example: plain JSON, kept in the URL hash (state.js checks its shape).
 * @typedef {object} State
 * @property {Record<string, string[]>} labels  token labels per axis: `queries` (and `keys` when
 *   the keys are other tokens); the `labels` control edits them
 * @property {Record<string, number[][] | number[][][]>} inputs  the editable matrices
 * @property {Record<string, number | string | boolean | number[] | number[][]>} options  everything
 *   else: scoring, mask, temperature, mode, seed, and the example's own options
 * @property {number} [precision]  decimals shown (2–6), set by the playground
 * @property {Record<string, string>} [texts]  free text the example reads, edited by its 'text'
 *   controls (the checker's pasted worked example); all of it together at most MAX_TEXT characters
 */

/**
 * A matrix shown in a step: a table of numbers, a heatmap, or both.
 * @typedef {object} Matrix
 * @property {string} name  unique within the example; names the figure (data-name) and its exports
 * @property {string} label  TeX, e.g. 'W_Q'
 * @property {number[][]} values  from the engine (or the state, for inputs); may be a getter that
 *   computes them when first read: an off-screen step's matrices are read only when it is drawn
 * @property {number[]} [shape]  [rows, cols], when it is known without reading `values`
 * @property {string[]} [rows]  row labels
 * @property {string[]} [cols]  column labels
 * @property {boolean} [editable]  an input: edits go to state.inputs at `path`
 * @property {(string | number)[]} [path]  where an editable matrix lives in state.inputs
 * @property {'sequential' | 'diverging'} [heatmap]  also draw a heatmap with this kind of colour map
 * @property {boolean} [heatmapOnly]  only the heatmap (for grids of many small matrices)
 * @property {boolean} [dataRange]  colour a sequential heatmap over its values' range, not [0, 1]
 * @property {string} [title]  the heatmap's caption
 * @property {number[][]} [explain]  the logits of each row: focusing a cell shows its softmax arithmetic
 * @property {number} [maskedValue]  the fill of blocked cells, drawn as masked in the heatmap
 * @property {boolean} [claimed]  `values` are numbers being checked (a published claim), not the
 *   engine's: the table is marked as a claim
 * @property {[number, number][]} [wrong]  cells of a claim that are wrong: marked, with the value
 *   of `expected` beside each
 * @property {number[][]} [expected]  the engine's values for a claim of the right shape; the
 *   Markdown export (the corrected example) writes these, and leaves out a claim without them
 * @property {{ label: string, set: (s: State) => void }} [action]  a button on the heatmap's
 *   caption that edits the state (the translator's "Open" on each head)
 */

/**
 * A line chart (the why-scale experiment).
 * @typedef {object} Chart
 * @property {number[]} x
 * @property {string} xLabel
 * @property {string} yLabel
 * @property {boolean} [log]  logarithmic y axis
 * @property {{ name: string, values: number[] }[]} series
 */

/**
 * One step of a worked example.
 * @typedef {object} Step
 * @property {string} id  unique within the example (data-step, deep-link target of tests)
 * @property {string} title  (all texts of a step are written with msg: they are shown as they are)
 * @property {string} [tex]  the step's formula (KaTeX); words in it as \text{${msg(…)}}
 * @property {string} [note]  one or two sentences of explanation
 * @property {string} [hint]  what to try, shown only when the example is editable
 * @property {Matrix[]} [matrices]
 * @property {boolean} [grid]  lay the matrices out as a grid of heatmaps
 * @property {number | 'wide'} [columns]  a grid's columns (2, 3 or 4; otherwise as many as fit), so that
 *   a grid of layers × heads keeps one layer per row; 'wide': as many cards of at least 22rem as
 *   fit (one on a narrow screen), so that a heatmap of a dozen tokens labels every one
 * @property {Chart} [chart]
 * @property {{ what: string, label?: string, published: string, correct: number[][], cols?: string[] }[]} [comparison]
 *   published (TeX) against correct (engine) values; `what` names the row (data-compare), `label`
 *   (default `what`) is what it shows; `cols` labels the correct values' columns
 * @property {[string, string] | [string, string, string]} [comparisonLabels]  the comparison's
 *   column heads (default published, correct (engine)); three: the rows' head first (default step)
 * @property {boolean} [comparisonGiven]  the left column is an illustration to set beside the
 *   engine's values, not a claim to mark wrong (drawn neutral; shown once when every row has it)
 * @property {{ tag: string, data: unknown }} [view]  a figure drawn by an element of the example's
 *   own (registered by its `load`): created once per structure, then given each new `data`; it may
 *   emit `attention-action` with `{ set(state) }` to edit the state
 * @property {{ label: string, set: (s: State) => void }} [action]  a button beside the title that
 *   edits the state
 * @property {'correct' | 'wrong' | 'carried' | 'not-given'} [status]  a checked step's verdict,
 *   shown as a badge: 'carried' is wrong only because an earlier step was
 * @property {boolean} [first]  the first wrong step: highlighted
 */

/**
 * A control of the example's own, rendered by the playground beside the shared ones. It edits one
 * option; `set` writes the new value into a copy of the state (and may adjust the rest of it).
 * @typedef {object} Control
 * @property {string} name  what the `controls` attribute calls it (several controls may share one)
 * @property {string} key  data-control attribute, unique within the example
 * @property {'select' | 'number' | 'text' | 'element'} kind  'text' is a multi-line field (a
 *   textarea) whose every edit applies; its value lives in state.texts. 'element' is an element of
 *   the example's own (`tag`, registered by its `load`): it is given each new `state` and edits
 *   it by emitting `attention-action` with `{ set(state), done?(ok) }`
 * @property {string} label  a catalogue key
 * @property {(s: State, msg: Function) => (string | number)[][]} [choices]  [value, text] pairs of a
 *   select, the texts written with msg
 * @property {number} [min]  a number's range (integers)
 * @property {number} [max]
 * @property {number} [rows]  a text field's height in lines
 * @property {string} [tag]  an 'element' control's element
 * @property {boolean} [range]  a number shown as a slider
 * @property {(s: State) => string} [valueText]  what a slider's value means, shown beside it
 * @property {(s: State) => string | number} get
 * @property {(s: State, value: string | number) => void} set
 */

/**
 * A worked example.
 * @typedef {object} Example
 * @property {string} id  the deep link: #example=<id>
 * @property {string} title  a catalogue key: '<id>.title'
 * @property {string} summary  a catalogue key: '<id>.summary'
 * @property {(string | Control)[]} controls  the shared controls it offers, by name: 'labels'
 *   (one text field per axis in state.labels), 'scoring', 'mask' (with fill, lengths and cells),
 *   'temperature', 'mode', 'seed', 'size' (needs sizes and resize), 'randomise' (needs randomise);
 *   and its own, as Control objects
 * @property {(kit?: object) => Promise<unknown>} [load]  code the example needs beyond what every
 *   page loads, fetched before its first defaults() or compute() (the playground awaits it). In the
 *   browser the playground passes `kit` (playground.js ELEMENT_KIT: BaseElement, h, emit, …), from
 *   which that code may define its own elements; in Node there is none
 * @property {(attn: object) => State} defaults  the initial state
 * @property {(attn: object, s: State, msg: Function, context?: { refresh: () => void }) => { steps: Step[], busy?: boolean }} compute
 *   every number from the engine; every text from msg, the message function (web/i18n translator())
 *   of the language to show; an example whose numbers take longer than a frame computes them in
 *   the worker pool (web/components/engine.js, background.js), returns busy: true meanwhile (the
 *   steps are marked aria-busy) and calls context.refresh() when they arrive
 * @property {(s: State) => Record<string, number>} [sizes]  tokens, keys, dk as shown by 'size'
 * @property {Record<string, string>} [sizeLabels]  labels of the size fields (default 'Number of tokens', d_k):
 *   catalogue keys, or a symbol such as d_model, which shows as itself
 * @property {(attn: object, s: State, sizes: Record<string, number>) => State} [resize]  a state
 *   of new sizes, keeping what fits and drawing the rest from the engine's seeded random
 * @property {(attn: object, s: State, seed: number) => State} [randomise]  new random inputs
 */

/** Column labels p1 … pn. */
export const colNames = (p, n) => Array.from({ length: n }, (_, i) => `${p}${i + 1}`);

/**
 * An editable input matrix.
 * @returns {Matrix}
 */
export function inputMatrix(name, label, values, rows, cols, path = [name]) {
  return { name, label, values, rows, cols: cols ?? values[0].map((_, i) => String(i + 1)), editable: true, path };
}

/** A tensor from the engine as nested arrays. */
export const arr = (t) => t.toArray();
