// The English texts of the embedding docs (web/docs/embedding.template.html): scripts/pages.mjs
// writes docs/embedding.html from the template with these, and docs/embedding.zh-CN.html with
// zh-CN.embedding.js. No page loads this part at run time; the messages are HTML.
export default {
  'embedding.docTitle': 'Embedding attention-playground in your pages',
  'embedding.install.title': 'Install',
  'embedding.install.2': 'Write elements where you want figures (below). Many figures on one page share one engine.',
  'embedding.install.3': `Pages opened from disk (<code>file://</code>), where browsers block module scripts, use the classic
    build instead, which carries its WebAssembly inside:`,
  'embedding.install.4': `Sizes: the module, its glue and the SIMD WebAssembly are about 150 KB gzipped together. KaTeX
    (for formulas) is downloaded only when a figure first shows a formula, so a page with only
    heatmaps never loads it. The classic build is one larger file (about 420 KB gzipped) because it
    inlines everything; its formulas use system fonts.`,
  'embedding.heatmap.3':
    'the matrix as JSON (nested arrays); <code>null</code> marks a masked cell. As a property it also takes <code>{ data, shape }</code> or an engine result.',
  'embedding.heatmap.4': 'labels, comma-separated or a JSON array (any script: 汤姆, 注意力…)',
  'embedding.heatmap.5':
    '<code>viridis</code> (default), <code>cividis</code>, <code>magma</code>, <code>blues</code> (sequential); <code>rdbu</code>, <code>puor</code> (diverging, centred on 0). All colour-blind-safe.',
  'embedding.heatmap.6': "the colour range (default: the data's; symmetric for diverging schemes)",
  'embedding.heatmap.7': 'cells equal to this (e.g. a −1e6 fill) are drawn as masked and left out of the range',
  'embedding.heatmap.8': 'decimals in the tooltip and cells, 0–6 (default 4)',
  'embedding.heatmap.9': 'the accessible name',
  'embedding.heatmap.10': 'a fixed cell size in pixels (default: fit the container)',
  'embedding.heatmap.11': `Hover for the exact value; Tab to the figure and use the arrow keys to move across cells; screen
    readers get a table with every number. Methods: <code>toPNG()</code> (a Blob), <code>toSVG()</code> (text).
    A <code>values</code> attribute that is not valid JSON or not a matrix of numbers is reported in the
    figure; the last valid values stay drawn.`,
  'embedding.steps.1': `A worked example, step by step: each step's formula, shapes and numbers, with heatmaps.
    Either a built-in example by id, or your own inputs as JSON inside the element:`,
  'embedding.steps.4': `The JSON format: <code>queries</code> [Q, d], <code>keys</code> [K, d], <code>values</code> [K, d<sub>v</sub>]
    as nested arrays; <code>options</code> exactly as the engine's <code>attention()</code> takes them
    (<code>scoring</code>: dot | scaled_dot | additive with <code>wq</code>, <code>wk</code>, <code>v</code> |
    bilinear with <code>w</code>; <code>validLens</code>, <code>mask</code>, <code>causal</code>,
    <code>temperature</code>, <code>fill</code>, <code>mode</code>: soft | argmax | sample, <code>seed</code>);
    <code>labels</code> with <code>queries</code> and <code>keys</code>; an optional <code>title</code>.
    For self-attention give <code>x</code>, <code>wq</code>, <code>wk</code>, <code>wv</code> instead of
    queries, keys and values. JSON has no −∞: write <code>"-Infinity"</code>. A
    <code>&lt;script type="application/json"&gt;</code> is data, not code: strict CSPs allow it.
    JSON that is malformed, over 1 MB, holds <code>__proto__</code>, <code>constructor</code> or
    <code>prototype</code> keys, or inputs the engine refuses is reported in the figure, which keeps its
    last valid steps or, before any, shows the built-in self-attention example.</p>
  <p>Attributes: <code>example</code>, <code>precision</code> (2–6). Property: <code>spec</code> (the same
    object as the JSON).`,
  'embedding.playground.1': 'One example, live, with the controls you choose; or a read-only figure.',
  'embedding.playground.3': `<code>self-attention</code>, <code>translation-alignment</code>, <code>masked-softmax</code>,
        <code>scoring-functions</code>, <code>causal-mask</code>, <code>hard-vs-soft</code>, <code>multi-head</code>, <code>why-scale</code>
        (the playground's <code>#example=</code> ids)</td></tr>
      <tr><td><code>controls</code></td><td>comma-separated, from: <code>labels</code>, <code>scoring</code>, <code>mask</code>,
        <code>temperature</code>, <code>mode</code>, <code>seed</code>, <code>heads</code>, <code>size</code>, <code>randomise</code>,
        <code>compare</code>, <code>lens</code>, <code>experiment</code>, <code>precision</code>, <code>reset</code>
        (default: all the example offers)</td></tr>
      <tr><td><code>readonly</code></td><td>a figure: no controls, no editing</td></tr>
      <tr><td><code>precision</code></td><td>decimals, 2–6 (default 4)`,
  'embedding.playground.4':
    'Property <code>state</code>: the whole state as plain JSON (set it to restore a figure exactly).',
  'embedding.check.1': `The checker of <code>#example=check</code> beside your draft: put your worked example between the tags,
    each matrix after its name (<code>X =</code>, <code>W_Q =</code>, <code>Q =</code>, <code>QK^T =</code>,
    <code>scores =</code>, <code>weights =</code>, <code>output =</code>), in LaTeX, NumPy or PyTorch output,
    JSON, a Markdown table or rows of numbers. Every step is recomputed by the engine: wrong numbers are
    marked with the right value beside them, the first wrong step is highlighted with the reason.`,
  'embedding.check.2': `Text holding <code>&lt;</code> (a PyTorch <code>grad_fn=&lt;…&gt;</code>) goes in a
    <code>&lt;script type="text/plain"&gt;</code> child. Attributes: <code>scoring</code>
    (<code>scaled_dot</code>, default, or <code>dot</code>), <code>causal</code>, <code>decimals</code> (what the
    claims were printed to; default: what each matrix shows), <code>readonly</code> (the checked steps only, no
    paste field), <code>precision</code>. Property <code>text</code> sets the example; <code>result</code> is the
    last check, <code>{ verdict, firstWrong }</code>, also sent in an <code>attention-check</code> event.`,
  'embedding.languages.1': `The Chinese texts are a separate file in <code>dist/</code>, fetched only by a page that shows a
    Chinese figure.`,
  'embedding.theming.1': 'Each element sizes itself to its container.',
  'embedding.packages.1':
    'Vite (tested in <code>npm test</code>: a fresh Vite 7 project, no config, built and served under the strict CSP)',
  'embedding.packages.2': `and <code>&lt;attention-steps example="self-attention"&gt;&lt;/attention-steps&gt;</code> in
      <code>index.html</code>. For <code>vite dev</code>, keep the package out of pre-bundling (which
      moves modules away from their files): <code>optimizeDeps: { exclude: ['attention-playground'] }</code>.`,
  'embedding.packages.3': 'then the elements in any Markdown page.',
  'embedding.packages.4':
    'then <code>&lt;attention-steps example="self-attention"&gt;&lt;/attention-steps&gt;</code> in MDX.',
  'embedding.packages.5': `in the layout (Astro bundles it), the elements in <code>.astro</code> or MDX pages; for
      <code>astro dev</code>, the same <code>optimizeDeps</code> exclusion under <code>vite:</code> in
      <code>astro.config.mjs</code>.`,
  'embedding.packages.6': `Copy <code>node_modules/attention-playground/dist/attention-playground.classic.js</code> into
      <code>_static/</code> and list it in <code>_config.yml</code>:`,
  'embedding.packages.7': 'then write the elements in a Markdown cell (or a <code>{raw} html</code> block).',
  'embedding.packages.8': `The Vite, VitePress and Astro recipes run in the project's tests (VitePress's own pages need
    <code>'unsafe-inline'</code> scripts and styles and <code>data:</code> images and fonts in a CSP);
    Docusaurus and Jupyter Book follow each tool's documented way of loading a client-only script.`,
  'embedding.csp.1': "(<code>'wasm-unsafe-eval'</code> allows compiling WebAssembly, nothing else.)",
  'embedding.intro.title': 'Live attention figures in your own pages',
  'embedding.intro.text': `Three custom elements put live, correct attention figures between your paragraphs: no build
    step, no server of your own, no CDN, no framework, no special HTTP headers. They work offline,
    under a strict Content-Security-Policy, and from a file opened straight from disk.
    <a href="../examples/tutorial.html">See them in a sample tutorial</a> ·
    <a href="../">the playground</a>.`,
  'embedding.languages.title': 'Languages',
  'embedding.languages.text': `The elements speak English and Simplified Chinese (简体中文). Each one follows its own
    <code>lang</code> attribute or its closest ancestor's, as HTML inherits <code>lang</code>: a page
    in <code>&lt;html lang="zh-CN"&gt;</code> gets Chinese figures, and one figure can differ from the
    page. Changing a <code>lang</code> attribute re-renders the figures it covers. With no
    <code>lang</code> anywhere, they follow the reader's browser. Numbers and formulas are the same in
    both.`,
  'embedding.events.title': 'Events',
  'embedding.events.text': `Every element fires <code>attention-change</code> (bubbling, composed, so it crosses shadow roots)
    with the new state in <code>event.detail</code>: the playground's <code>{ example, state }</code>
    after each edit, the heatmap's <code>{ active, value }</code> when the active cell moves, the steps'
    input after each render.`,
  'embedding.theming.title': 'Theming',
  'embedding.theming.text': `The elements render in shadow DOM: your page's CSS does not leak in, theirs does not leak out.
    They follow the reader's light or dark preference, and take these CSS custom properties:`,
  'embedding.packages.title': 'With npm, bundlers and site generators',
  'embedding.packages.text': `<code>npm install attention-playground</code> gives three entry points, each with its TypeScript types:
    <code>attention-playground</code> (the engine, no side effects, Node too),
    <code>attention-playground/elements</code> (registers the elements; its types add them to
    <code>HTMLElementTagNameMap</code>) and <code>attention-playground/classic</code> (the single classic
    file). Bundlers copy the WebAssembly and KaTeX's fonts by themselves: the modules name them with
    <code>new URL('…', import.meta.url)</code>. On a page with elements, import <code>init</code> from
    <code>attention-playground/elements</code> too, so the page loads one engine.`,
  'embedding.csp.title': 'Security and privacy',
  'embedding.csp.text': `The elements make no network request beyond your own origin (the files in <code>dist/</code>),
    never use <code>eval</code> or <code>new Function</code>, and set no inline style attributes in
    markup (styles are constructable stylesheets). They work under:`,
  'embedding.models.title': 'Trained models: the file format and <code>loadModel</code>',
  'embedding.models.text': `The engine runs PyTorch's own <code>nn.Transformer</code> translators, your own or the one in
    <code>dist/models/translator.safetensors</code> (English → Chinese, 46,401 parameters, trained by
    <code>model/train.py</code>). Nothing leaves the page: the file is read and run in WebAssembly.`,
  'embedding.generators.title': 'Markdown-based site generators',
  'embedding.generators.text': `Hugo, Jekyll, Eleventy, MkDocs, Docusaurus and the like pass raw HTML in Markdown through (in Hugo,
    enable <code>markup.goldmark.renderer.unsafe</code>; in MkDocs, HTML blocks work as they are). Put
    <code>dist/</code> in the folder the generator copies verbatim (<code>static/</code> in Hugo and
    Docusaurus, the site root in Jekyll, <code>docs/</code> in MkDocs), add the script line to your
    layout's head (or once in the post), and write the elements between paragraphs:`,
  'embedding.generators.before': 'Softmax turns each row of scores into weights:',
  'embedding.generators.after': 'The masked entries get exactly zero weight with a −∞ fill.',
  'embedding.generators.blankLines':
    'Keep a blank line before and after each element so the Markdown parser treats it as an HTML block.',
  'embedding.install.copy': `Copy the <code>dist/</code> folder (made by <code>npm run build</code>) next to your page. That is the
      whole installation: the module finds its WebAssembly and KaTeX files relative to itself.`,
  'embedding.install.line': 'Add one line to the page:',
  'embedding.models.format': `The file is a <code>.safetensors</code> file (8 bytes of header length, a JSON header, raw
    little-endian <code>F32</code> or <code>F16</code> data) holding <code>src_embed.weight</code>,
    <code>tgt_embed.weight</code>, <code>generator.weight</code>, <code>generator.bias</code>, every key of
    the <code>state_dict()</code> of <code>torch.nn.Transformer(…, dropout=0.0, batch_first=True)</code>
    prefixed <code>transformer.</code>, and <code>__metadata__.config</code>, a JSON string with
    <code>d_model, nhead, num_encoder_layers, num_decoder_layers, dim_feedforward, activation, norm_first,
    layer_norm_eps, src_vocab, tgt_vocab, pad, bos, eos</code>. <code>model/export.py</code> writes one from
    your module. A malformed file is refused with a <code>TypeError</code> or <code>RangeError</code> that says
    what is wrong; the page and any model loaded before keep working. The README's
    “Run a trained translator” lists every method, the forward pass and every name in the trace.`,
  'embedding.heatmap.label': 'alignment',
  'embedding.attribute': 'attribute',
  'embedding.meaning': 'meaning',
  'embedding.steps.figure': 'Two queries over three keys',
  'embedding.word.I': 'I',
  'embedding.word.saw': 'saw',
  'embedding.word.it': 'it',
};
