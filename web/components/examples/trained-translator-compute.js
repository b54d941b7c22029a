// The trained translator's steps (loaded with its first use, see trained-translator.js). The model
// runs in the engine (attn.loadModel, model.greedy, model.forward with its trace); this module
// only picks, slices and labels what the engine returns (the words nearest an unknown one too:
// model.nearest).
import '../../lib/model.js'; // installs attn.loadModel
import { defineTranslatorViews } from '../translator-views.js';
import { shippedModelBytes } from './trained-translator-source.js';
import en from '../../i18n/en.trained-translator.js';
import zh from '../../i18n/zh-CN.trained-translator.js';

// its messages travel with it, in this chunk (web/i18n/index.js, t.with)
const MESSAGES = { en, 'zh-CN': zh };

export const MAX_WORDS = 32;
export const DEFAULT_SENTENCE = 'Tom chase Jerry';
const KEEP_MODELS = 2; // of each source: the one in use and the one before it (the last good one)
const KINDS = ['encoder', 'decoder', 'cross'];

// what every page has loaded already, handed over by trained-translator.js (imported here, it
// would be split off the main bundle into a chunk of its own)
let arr, colNames, scoreTex, engine, headColours;

/** key → { model, name }: 'shipped', 'file:<n>' (a chosen file), 'src:<n>' (an element's src). */
const models = new Map();
let counter = 0;
let shipped = null;

/** Loads the shipped model (once) and registers the controls and figures. */
export async function ready(kit) {
  ({ arr, colNames, scoreTex, engine, headColours } = kit);
  // in the browser: the controls and figures (in Node, where tests compute the steps, there is no kit)
  if (kit.elements)
    defineTranslatorViews(
      { ...kit.elements, engine: kit.engine },
      { annotate, vocabulary, openBytes, useModel, modelName, MESSAGES },
    );
  shipped ??= (async () => {
    const attn = await engine();
    models.set('shipped', { model: await attn.loadModel(await shippedModelBytes()), name: 'shipped' });
  })().catch((e) => {
    shipped = null;
    throw e;
  });
  await shipped;
}

function register(prefix, model, name) {
  const key = `${prefix}:${++counter}`;
  models.set(key, { model, name });
  const same = [...models.keys()].filter((k) => k.startsWith(`${prefix}:`));
  for (const k of same.slice(0, Math.max(0, same.length - KEEP_MODELS))) {
    models.get(k).model.dispose();
    models.delete(k);
    for (const c of cache.keys()) if (c.startsWith(`${k}\n`)) cache.delete(c);
  }
  return key;
}

/** A chosen file's bytes as a model (the engine refuses a malformed file with a message). */
export async function openBytes(attn, bytes, name) {
  return register('file', await attn.loadModel(bytes), name);
}

/** The state `<attention-model>` opens on: its sentence attribute, and the model its src names. */
export async function elementState(el) {
  const s = defaults();
  const sentence = el.getAttribute('sentence');
  if (sentence) s.texts.sentence = sentence;
  if (el.src) s.options.model = await openUrl(await engine(), new URL(el.src, document.baseURI).href);
  return s;
}

/** The model at `url` (an element's src). */
export async function openUrl(attn, url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return register('src', await attn.loadModel(new Uint8Array(await response.arrayBuffer())), url);
}

function modelOf(s, t) {
  const entry = models.get(s.options.model ?? 'shipped');
  if (!entry) throw new RangeError(t('trained-translator.modelMissing', { key: s.options.model }));
  return entry.model;
}

const words = (text) => text.trim().split(/\s+/).filter(Boolean);
// the source words a sentence may use: the vocabulary without pad and the <…> markers
const sourceWords = (model) => model.config.src_vocab.filter((w, i) => i !== model.config.pad && !/^<.*>$/.test(w));

/** Switches to model `key` (from the first step, no head open); a sentence it cannot read becomes its first words. */
export function useModel(s, key) {
  s.options = { ...s.options, model: key, step: 0, head: '' };
  const model = models.get(key).model;
  const known = new Set(sourceWords(model));
  if (!words(s.texts?.sentence ?? '').every((w) => known.has(w)))
    s.texts = { ...s.texts, sentence: sourceWords(model).slice(0, 3).join(' ') };
}

/** What the model in use is called: the shipped one, or its file's name. */
export function modelName(s, t) {
  const key = s.options.model ?? 'shipped';
  return key === 'shipped' ? t('trained-translator.shippedName') : (models.get(key)?.name ?? key);
}

export function defaults() {
  return {
    labels: {},
    inputs: {},
    options: { model: 'shipped', step: 0, head: '' },
    texts: { sentence: DEFAULT_SENTENCE },
  };
}

/** The source vocabulary (the sentence field's suggestions). */
export function vocabulary(s) {
  const entry = models.get(s.options.model ?? 'shipped');
  return entry ? sourceWords(entry.model) : [];
}

/** The sentence's words, each known or not; an unknown one with the three nearest known words. */
export function annotate(s, text) {
  const entry = models.get(s.options.model ?? 'shipped');
  if (!entry) return [];
  const set = new Set(sourceWords(entry.model));
  return words(text).map((w, index) => {
    if (set.has(w)) return { text: w, known: true };
    const nearest = entry.model.nearest(w, { count: 3 });
    // puts `word` in place of this occurrence (the index-th word), the rest of the text as typed
    const replace = (current, word) => {
      let n = -1;
      return current.replace(/\S+/g, (m) => (++n === index ? word : m));
    };
    return { text: w, known: false, nearest, replace };
  });
}

// --- the engine's results for a sentence, kept while it is shown -----------------------------------
const cache = new Map(); // `${model key}\n${sentence}` → { model, typed, src, out, forwards }

function run(s, t) {
  const model = modelOf(s, t);
  const typed = words(s.texts?.sentence ?? '');
  if (typed.length === 0) throw new RangeError(t('trained-translator.empty'));
  if (typed.length > MAX_WORDS)
    throw new RangeError(t('trained-translator.tooLong', { max: MAX_WORDS, count: typed.length }));
  const key = `${s.options.model ?? 'shipped'}\n${typed.join(' ')}`;
  let entry = cache.get(key);
  if (!entry) {
    const known = new Set(sourceWords(model));
    const unknown = typed.filter((w) => !known.has(w));
    if (unknown.length)
      throw new RangeError(
        t('trained-translator.unknownWords', { words: t.list ? t.list(unknown) : unknown.join(', ') }),
      );
    const src = model.encode(typed);
    entry = { model, typed, src, out: model.greedy(src), forwards: new Map(), plain: new Map() };
    if (cache.size >= 16) cache.delete(cache.keys().next().value);
    cache.set(key, entry);
  }
  return entry;
}

/**
 * The forward pass with decoder input `tgt` (bos and the tokens so far); with `trace`, every
 * intermediate too (four times the untraced pass's time: the block steps ask for it only when
 * they are drawn). Without, a traced pass at hand will do.
 */
function forward(entry, tgt, trace = false) {
  const key = tgt.length;
  let f = entry.forwards.get(key) ?? (trace ? null : entry.plain.get(key));
  if (!f) {
    f = entry.model.forward(entry.src, tgt, trace ? { trace: true } : undefined);
    (trace ? entry.forwards : entry.plain).set(key, f);
  }
  return f;
}

/** 'cross.0.1' → { kind, layer, head } (0-based), or null when it names no head of this model. */
function parseHead(text, cfg) {
  const m = /^(encoder|decoder|cross)\.(\d+)\.(\d+)$/.exec(text ?? '');
  if (!m) return null;
  const layer = Number(m[2]),
    head = Number(m[3]);
  const layers = m[1] === 'encoder' ? cfg.num_encoder_layers : cfg.num_decoder_layers;
  return layer < layers && head < cfg.nhead ? { kind: m[1], layer, head } : null;
}

export function compute(attn, s, msg) {
  const t = msg.with(MESSAGES);
  const e = run(s, t);
  const { model, typed, out } = e;
  const cfg = model.config;
  const n = out.ids.length - 1; // the tokens written after bos (eos included)
  const step = Math.min(Math.max(1, s.options.step || n), n);
  const tgt = out.ids.slice(0, step); // the decoder's input at this step: bos and the tokens so far
  const f = forward(e, tgt);
  const written = out.tokens.slice(1);
  const tgtTokens = model.decode(tgt);
  const translation = written.filter((_, i) => out.ids[i + 1] !== cfg.eos);
  const att = Object.fromEntries(KINDS.map((k) => [k, f.attention[k].map(arr)]));
  const axes = { encoder: [typed, typed], decoder: [tgtTokens, tgtTokens], cross: [tgtTokens, typed] };
  const opener = (kind, l) => (hd) => (st) => {
    st.options.head = `${kind}.${l}.${hd}`;
  };

  const steps = [
    {
      id: 'translation',
      title: t('trained-translator.translation'),
      note: t('trained-translator.translationNote', { step, count: n, token: written[step - 1] }),
      view: {
        tag: 'attention-decoding',
        data: {
          source: typed,
          translation,
          tokens: written,
          step,
          labels: {
            prev: t('trained-translator.prev'),
            next: t('trained-translator.next'),
            tokens: t('trained-translator.tokens'),
            status: t('trained-translator.decodingStatus', { step, count: n }),
          },
        },
      },
    },
    vocabularyStep(e, f, step, tgtTokens, written, t),
    ...KINDS.map((kind) => ({
      id: `grid-${kind}`,
      title: t(`trained-translator.grid.${kind}`),
      note: t('trained-translator.gridNote'),
      grid: true,
      // cards wide enough that a sentence of a dozen words gets a label on every row and column
      columns: 'wide',
      matrices: att[kind].flatMap((layer, l) =>
        layer.map((w, hd) => ({
          name: `${kind}-${l + 1}-${hd + 1}`,
          label: `A_{L${l + 1}H${hd + 1}}`,
          title: t('trained-translator.layerHead', { layer: l + 1, head: hd + 1 }),
          values: w,
          rows: axes[kind][0],
          cols: axes[kind][1],
          heatmap: 'sequential',
          heatmapOnly: true,
          action: { label: t('trained-translator.open'), set: opener(kind, l)(hd) },
        })),
      ),
    })),
    {
      id: 'head-view',
      title: t('trained-translator.headView'),
      note: t('trained-translator.headViewNote'),
      view: {
        tag: 'attention-head-view',
        data: {
          precision: s.precision ?? 4,
          colours: headColours,
          labels: {
            view: t('trained-translator.hv.view'),
            heads: t('trained-translator.hv.heads'),
            head: (n) => t('trained-translator.hv.head', { head: n }),
            open: (n) => t('trained-translator.hv.open', { head: n }),
            openShort: t('trained-translator.open'),
            hint: t('trained-translator.hv.hint'),
            // per head shown: [head number, [[token, weight], ...]]
            readout: (side, token, lines) =>
              t(side === 'left' ? 'trained-translator.hv.attendsTo' : 'trained-translator.hv.attendedBy', {
                token,
                pairs: lines
                  .map(([n, pairs]) =>
                    t('trained-translator.hv.headPairs', {
                      head: n,
                      pairs: pairs.map(([w, x]) => `${w} ${x}`).join(', '),
                    }),
                  )
                  .join('; '),
              }),
          },
          views: ['cross', 'decoder', 'encoder'].flatMap((kind) =>
            att[kind].map((heads, l) => ({
              id: `${kind}-${l}`,
              label: t('trained-translator.viewLabel', {
                kind: t(`trained-translator.kindLong.${kind}`),
                layer: l + 1,
              }),
              rows: axes[kind][0],
              cols: axes[kind][1],
              heads,
              open: opener(kind, l),
            })),
          ),
        },
      },
    },
  ];
  const opened = parseHead(s.options.head, cfg);
  const traced = () => forward(e, tgt, true);
  if (opened) steps.push(...headSteps(attn, traced(), opened, axes, cfg, t));
  steps.push(...blockSteps(traced, s, typed, tgtTokens, cfg, t));
  steps.push(...claimSteps(e, cfg, typed, t));
  return { steps };
}

// --- the softmax over the vocabulary at this step -------------------------------------------------
function vocabularyStep(e, f, step, tgtTokens, written, t) {
  const choice = e.out.steps[step - 1]; // the engine's top tokens and probabilities for this step
  const logits = arr(f.logits);
  const last = logits[logits.length - 1];
  const row = [tgtTokens[tgtTokens.length - 1]];
  return {
    id: 'vocabulary',
    title: t('trained-translator.vocab'),
    tex: `P(y_{${step}} \\mid y_{<${step}}, x) = \\operatorname{softmax}(z), \\quad z = h_{${step}} W_{\\text{gen}}^\\top + b`,
    note: t('trained-translator.vocabNote', { count: last.length, token: written[step - 1] }),
    matrices: [
      { name: 'next-logits', label: 'z', values: [choice.top.map((i) => last[i])], rows: row, cols: choice.tokens },
      {
        name: 'next-probabilities',
        label: 'P',
        values: [choice.probabilities],
        rows: row,
        cols: choice.tokens,
        heatmap: 'sequential',
      },
    ],
  };
}

// --- an opened head, step by step, from the trace -------------------------------------------------
function headSteps(attn, f, { kind, layer, head }, axes, cfg, t) {
  const [rows, cols] = axes[kind];
  const trace =
    kind === 'encoder'
      ? f.trace.encoder[layer].selfAttention
      : f.trace.decoder[layer][kind === 'cross' ? 'crossAttention' : 'selfAttention'];
  const pick = (x) => arr(x)[head];
  const q = pick(trace.q),
    k = pick(trace.k),
    v = pick(trace.v);
  const logits = pick(trace.logits);
  const dh = cfg.d_model / cfg.nhead;
  const names = { kind: t(`trained-translator.kindLong.${kind}`), layer: layer + 1, head: head + 1 };
  const heads = arr(trace.heads);
  const steps = [
    {
      id: 'head-qkv',
      title: t('trained-translator.head.qkv', names),
      tex:
        kind === 'cross'
          ? 'Q_h = X W_Q^{(h)} + b_Q^{(h)}, \\quad K_h = M W_K^{(h)} + b_K^{(h)}, \\quad V_h = M W_V^{(h)} + b_V^{(h)}'
          : 'Q_h = X W_Q^{(h)} + b_Q^{(h)}, \\quad K_h = X W_K^{(h)} + b_K^{(h)}, \\quad V_h = X W_V^{(h)} + b_V^{(h)}',
      note: t('trained-translator.head.qkvNote', {
        dh,
        input: t(kind === 'cross' ? 'trained-translator.head.inputCross' : 'trained-translator.head.inputSelf'),
      }),
      action: {
        label: t('trained-translator.closeHead'),
        set: (st) => {
          st.options.head = '';
        },
      },
      matrices: [
        { name: 'head-q', label: 'Q_h', values: q, rows, cols: colNames('q', dh) },
        { name: 'head-k', label: 'K_h', values: k, rows: cols, cols: colNames('k', dh) },
        { name: 'head-v', label: 'V_h', values: v, rows: cols, cols: colNames('v', dh) },
      ],
    },
    {
      id: 'head-qk',
      title: t('trained-translator.head.qk'),
      tex: 'Q_h K_h^\\top',
      matrices: [
        { name: 'head-qk', label: 'Q_hK_h^\\top', values: arr(attn.score(q, k, { scoring: 'dot' })), rows, cols },
      ],
    },
    {
      id: 'head-scores',
      title: t('trained-translator.head.scores'),
      tex: scoreTex('scaled_dot', dh),
      matrices: [{ name: 'head-scores', label: 'S', values: pick(trace.scores), rows, cols, heatmap: 'diverging' }],
    },
  ];
  if (kind === 'decoder') {
    steps.push({
      id: 'head-logits',
      title: t('trained-translator.head.logits'),
      tex: 'L_{ij} = S_{ij} \\;(j \\le i), \\quad L_{ij} = -\\infty \\;(j > i)',
      note: t('trained-translator.head.logitsNote'),
      matrices: [
        { name: 'head-logits', label: 'L', values: logits, rows, cols, heatmap: 'diverging', maskedValue: -Infinity },
      ],
    });
  }
  steps.push(
    {
      id: 'head-weights',
      title: t('trained-translator.head.weights'),
      tex: 'A_{ij} = \\frac{e^{L_{ij} - m_i}}{\\sum_k e^{L_{ik} - m_i}}, \\quad m_i = \\max_k L_{ik}',
      hint: t('trained-translator.head.weightsHint'),
      matrices: [
        {
          name: 'head-weights',
          label: 'A',
          values: pick(trace.weights),
          rows,
          cols,
          heatmap: 'sequential',
          explain: logits,
        },
      ],
    },
    {
      id: 'head-output',
      title: t('trained-translator.head.output'),
      tex: 'O_h = A V_h',
      note: t('trained-translator.head.outputNote', { dh }),
      matrices: [
        {
          name: 'head-output',
          label: 'O_h',
          values: heads.map((r) => r.slice(head * dh, (head + 1) * dh)),
          rows,
          cols: colNames('o', dh),
        },
      ],
    },
  );
  return steps;
}

// --- the blocks of the chosen encoder layer and decoder layer, and the embeddings before them ------
// which layer of `count` the state names under `key` (0-based; the first when it names none)
const layerOf = (s, key, count) => {
  const l = s.options[key];
  return Number.isInteger(l) && l >= 0 && l < count ? l : 0;
};

// `traced()`: the traced forward pass, run when a block step's numbers are first read (when the
// step is drawn: off-screen steps are drawn when they come into view)
function blockSteps(traced, s, tokens, tgtTokens, cfg, t) {
  const D = cfg.d_model;
  const dims = colNames('d', D);
  const pre = cfg.norm_first;
  const norm = t(pre ? 'trained-translator.block.pre' : 'trained-translator.block.post');
  // a matrix whose numbers are read from the trace when first asked for; its shape is known before
  const matrix =
    (rows) =>
    (name, label, get, cols = dims) => {
      let values = null;
      return {
        name,
        label,
        rows,
        cols,
        shape: [rows.length, cols.length],
        get values() {
          return (values ??= arr(get()));
        },
      };
    };
  const src = matrix(tokens),
    tgt = matrix(tgtTokens);
  const embedding = (side, e, m, sym) => ({
    id: `embedding-${side}`,
    title: t(`trained-translator.embedding.${side}`),
    tex: `${sym} = ${sym}_{emb} + PE_{pos}, \\quad ${sym}_{emb} = E[${sym.toLowerCase()}] \\cdot \\sqrt{${D}}, \\quad PE_{p,2i} = \\sin(p / 10000^{2i/${D}}), \\; PE_{p,2i+1} = \\cos(p / 10000^{2i/${D}})`,
    note: t('trained-translator.embeddingNote', { d: D }),
    matrices: [
      m(`${side}-embedding`, `${sym}_{emb}`, () => e().embedding),
      m(`${side}-positions`, 'PE_{pos}', () => e().positions),
      m(`${side}-input`, sym, () => e().input),
    ],
  });
  // a layer picker above a layer's first step: the learner chooses which layer the steps show
  const picker = (kind, layer, count) => ({
    tag: 'attention-layer-picker',
    data: {
      kind,
      label: t(`trained-translator.block.pick.${kind}`),
      layer,
      count,
      set: (l) => (st) => {
        st.options[`${kind}Layer`] = l;
      },
    },
  });
  const el = layerOf(s, 'encoderLayer', cfg.num_encoder_layers);
  const dl = layerOf(s, 'decoderLayer', cfg.num_decoder_layers);
  // a sublayer's outputs, then its residual R_n and norm LN_n, in the order the layer computes
  // them: post-norm adds, then normalises; pre-norm normalises the sublayer's input first
  const addNorm = (m, side, L, n, outs) => {
    const r = m(`${side}-residual${n}`, `R_${n}`, () => L()[`residual${n}`]),
      ln = m(`${side}-norm${n}`, `\\mathrm{LN}_${n}`, () => L()[`norm${n}`]);
    return pre ? [ln, ...outs, r] : [...outs, r, ln];
  };
  const formula = (n, x, sub) =>
    pre ? `${x} + ${sub(`\\operatorname{LN}_${n}(${x})`)}` : `\\operatorname{LN}_${n}(${x} + ${sub(x)})`;
  const code = (n, x, sub) => (pre ? `${x} + ${sub(`norm${n}(${x})`)}` : `norm${n}(${x} + ${sub(x)})`);
  // the feed-forward sublayer of `side`'s layer L (its n-th norm), reading x and writing y
  const feedForward = (side, m, L, n, [x, y], [hx, hy], module, title) => ({
    id: `${side}-feed-forward`,
    title,
    tex: `\\operatorname{FF}(${x}) = \\operatorname{${cfg.activation}}(${x} W_1 + b_1) W_2 + b_2, \\quad ${y} = ${formula(n, x, (z) => `\\operatorname{FF}(${z})`)}`,
    note: t('trained-translator.block.note', { module, norm, formula: `${hy} = ${code(n, hx, (z) => `ff(${z})`)}` }),
    matrices: addNorm(m, side, L, n, [
      m(
        `${side}-hidden`,
        `\\mathrm{${cfg.activation}}(${x} W_1 + b_1)`,
        () => L().hidden,
        colNames('f', cfg.dim_feedforward),
      ),
      m(`${side}-feed-forward`, '\\mathrm{FF}', () => L().feedForward),
    ]),
  });
  // an attention sublayer (its output `out`, [name, label, tensor]) and its add & norm
  const attention = ({
    id,
    m,
    side,
    L,
    n,
    io: [x, y],
    code: [hx, hy],
    sub,
    subCode,
    module,
    title,
    out,
    lead = [],
    view,
  }) => ({
    id,
    title,
    tex: `${y} = ${formula(n, x, sub)}`,
    note: t('trained-translator.block.note', { module, norm, formula: `${hy} = ${code(n, hx, subCode)}` }),
    view,
    matrices: [...lead, ...addNorm(m, side, L, n, [m(...out)])],
  });
  const E = () => traced().trace.encoder[el],
    Dl = () => traced().trace.decoder[dl];
  const ENC = 'nn.TransformerEncoderLayer',
    DEC = 'nn.TransformerDecoderLayer';
  const enc = { layer: el + 1 },
    dec = { layer: dl + 1 };
  const selfAttention = (z) => `self_attn(${z})`;
  return [
    embedding('source', () => traced().trace.source, src, 'X'),
    attention({
      id: 'encoder-attention',
      m: src,
      side: 'encoder',
      L: E,
      n: 1,
      io: ['X', 'H'],
      code: ['x', 'h'],
      sub: (z) => `\\operatorname{MHA}(${z})`,
      subCode: selfAttention,
      module: ENC,
      title: t('trained-translator.block.encoderAttention', enc),
      out: ['encoder-mha', '\\mathrm{MHA}', () => E().selfAttention.output],
      lead: [src('encoder-input', `X^{(${el + 1})}`, () => E().input)],
      view: picker('encoder', el, cfg.num_encoder_layers),
    }),
    feedForward(
      'encoder',
      src,
      E,
      2,
      ['H', 'Y'],
      ['h', 'y'],
      ENC,
      t('trained-translator.block.encoderFeedForward', enc),
    ),
    embedding('target', () => traced().trace.target, tgt, 'Y'),
    attention({
      id: 'decoder-self-attention',
      m: tgt,
      side: 'decoder',
      L: Dl,
      n: 1,
      io: ['Y', 'H_1'],
      code: ['y', 'h1'],
      sub: (z) => `\\operatorname{MHA}_{\\text{causal}}(${z})`,
      subCode: selfAttention,
      module: DEC,
      title: t('trained-translator.block.decoderSelf', dec),
      out: ['decoder-mha', '\\mathrm{MHA}_{\\text{causal}}', () => Dl().selfAttention.output],
      lead: [tgt('decoder-input', `Y^{(${dl + 1})}`, () => Dl().input)],
      view: picker('decoder', dl, cfg.num_decoder_layers),
    }),
    attention({
      id: 'decoder-cross-attention',
      m: tgt,
      side: 'decoder',
      L: Dl,
      n: 2,
      io: ['H_1', 'H_2'],
      code: ['h1', 'h2'],
      sub: (z) => `\\operatorname{MHA}(${z}, M)`,
      subCode: (z) => `multihead_attn(${z}, m)`,
      module: DEC,
      title: t('trained-translator.block.decoderCross', dec),
      out: ['decoder-cross', '\\mathrm{MHA}(H_1, M)', () => Dl().crossAttention.output],
    }),
    feedForward(
      'decoder',
      tgt,
      Dl,
      3,
      ['H_2', "Y'"],
      ['h2', 'y'],
      DEC,
      t('trained-translator.block.decoderFeedForward', dec),
    ),
  ];
}

// --- the article's claim: the cross-attention row of the query that writes 杰瑞 -----------------------
function claimSteps(e, cfg, typed, t) {
  const at = e.out.tokens.indexOf('杰瑞'); // its place in bos + the tokens written
  // the step stays when the translation does not write 杰瑞 (its note says so): a sentence edited
  // in and out of 杰瑞 then rewrites the step in place instead of rebuilding every figure
  // the step that writes it (bos and the tokens before it): only its attention is shown, so the
  // untraced pass will do (a quarter of the traced one's time) unless the traced one is at hand
  const tgt = e.out.ids.slice(0, at);
  const f = at < 1 ? null : forward(e, tgt);
  const rows = f
    ? f.attention.cross.flatMap((layer, l) =>
        arr(layer).map((w, hd) => ({
          what: t('trained-translator.claimWhat', { layer: l + 1, head: hd + 1 }),
          published: '(0.3,\\ 0.2,\\ 0.5)',
          correct: [w[at - 1]],
          cols: typed,
        })),
      )
    : [];
  return [
    {
      id: 'claim',
      title: t('trained-translator.claim'),
      note: t(f ? 'trained-translator.claimNote' : 'trained-translator.claimAbsent', { source: typed.join(' ') }),
      comparison: rows,
      comparisonLabels: [
        t('trained-translator.claimRow'),
        t('trained-translator.claimIllustrative'),
        t('trained-translator.claimLearned'),
      ],
      comparisonGiven: true,
    },
  ];
}
