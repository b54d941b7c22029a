// The playground page's own texts (web/index.html, web/app.js): a part of the English catalogue
// that only the page loads, not every page that embeds the elements (see index.js, t.with).
export default {
  'page.lede':
    'Attention computed step by step by a C++ engine in WebAssembly, with every number shown. Edit any input and every step recomputes; the address bar always holds a link to exactly what you see.',
  'page.examples': 'Examples',
  'page.language': 'Language',
  'page.footer':
    'Every number on this page comes from the WebAssembly engine. {engine} Runs offline: nothing is fetched from anywhere but this server.',
  'page.engine': 'Engine: WebAssembly {build} build.',
  'page.engine.relaxed-simd': 'relaxed-SIMD (fused multiply-add)',
  'page.engine.simd128': 'SIMD128',
  'page.engine.scalar': 'scalar',
  'page.startOver': 'Start over',
  'page.embedding': 'Embed these figures in your own pages',
  'page.tutorial': 'A sample tutorial',
  'page.docTitle': '{title} · attention-playground',
  'page.refused': "The link's state was refused by the engine; showing the example's default.",
  'page.tooLarge':
    'This state is too large for a link ({length} characters; at most {max}): the address bar keeps the last state that fitted.',
};
