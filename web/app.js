// The playground page: the example list, and the URL hash as the whole state (deep links
// #example=<id>, permalinks with &state=…). A hash that cannot be used gives a visible notice and the
// example's default state.
import { EXAMPLES, MAX_HASH, decodeHash, encodeState, init } from './dist/attention-playground.js';

const playground = document.getElementById('playground');
const notice = document.getElementById('notice');
let writing = null; // the hash this page last wrote itself (so its hashchange is not a navigation)

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

function renderNav(current) {
  const list = document.getElementById('examples');
  list.replaceChildren(
    ...EXAMPLES.map((e) => {
      const a = document.createElement('a');
      a.href = `#example=${e.id}`;
      a.textContent = e.title;
      if (e.id === current) a.setAttribute('aria-current', 'page');
      const li = document.createElement('li');
      li.append(a);
      return li;
    }),
  );
}

async function route() {
  if (location.hash === writing) return;
  const { example, state, error } = decodeHash(location.hash);
  const id = example ?? EXAMPLES[0].id;
  renderNav(id);
  const ok = await playground.load(id, state);
  showNotice(error ?? (ok ? '' : "The link's state was refused by the engine; showing the example's default."));
  document.title = `${EXAMPLES.find((e) => e.id === id).title} · attention-playground`;
  document.body.dataset.ready = 'true';
}

// The address bar follows the state, written once edits pause (not on every keystroke or frame).
let pendingWrite = 0;
playground.addEventListener('attention-change', (e) => {
  clearTimeout(pendingWrite);
  pendingWrite = setTimeout(() => {
    const hash = encodeState(e.detail.example, e.detail.state);
    if (hash.length > MAX_HASH) {
      showNotice(
        `This state is too large for a link (${hash.length} characters; at most ${MAX_HASH}): the address bar keeps the last state that fitted.`,
      );
      return;
    }
    writing = hash;
    history.replaceState(null, '', writing);
  }, 150);
  showNotice('');
});

window.addEventListener('hashchange', route);
init().then((attn) => {
  const build = { 'relaxed-simd': 'relaxed-SIMD (fused multiply-add)', simd128: 'SIMD128', scalar: 'scalar' };
  document.getElementById('engine').textContent = `Engine: WebAssembly ${build[attn.isa]} build.`;
});
route();
