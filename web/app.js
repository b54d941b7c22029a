// The playground page: the example list, the language switch, and the URL hash as the whole state
// (deep links #example=<id>, permalinks with &state=…&lang=…). A hash that cannot be used gives a
// visible notice and the example's default state. The language is the link's (lang=), else the
// one chosen with the switch, else the browser's; <html lang> carries it, and the elements follow.
import {
  EXAMPLES,
  LANGS,
  LANG_NAMES,
  MAX_HASH,
  browserLang,
  decodeHash,
  encodeState,
  hashLang,
  init,
  loadLang,
  translator,
} from './dist/attention-playground.js';
// the page's own texts, a catalogue part no page that embeds the elements downloads
import pageEn from './i18n/en.page.js';
import pageZh from './i18n/zh-CN.page.js';

const PAGE = { en: pageEn, 'zh-CN': pageZh };

const playground = document.getElementById('playground');
const notice = document.getElementById('notice');
const switcher = document.getElementById('lang');
let writing = null; // the hash this page last wrote itself (so its hashchange is not a navigation)
let lang = hashLang(location.hash) ?? browserLang();
let t = translator('en').with(PAGE);
let isa = null; // which engine build runs, once it has loaded
let current = EXAMPLES[0].id;
let noticeText = () => ''; // the notice shown, as a function of t (rewritten when the language changes)

function showNotice(text) {
  noticeText = text;
  notice.textContent = text(t);
  notice.hidden = !notice.textContent;
}

function renderNav() {
  const list = document.getElementById('examples');
  list.replaceChildren(
    ...EXAMPLES.map((e) => {
      const a = document.createElement('a');
      a.href = `#example=${e.id}`;
      a.textContent = t(e.title);
      if (e.id === current) a.setAttribute('aria-current', 'page');
      const li = document.createElement('li');
      li.append(a);
      return li;
    }),
  );
  // on a phone the list is one row that scrolls sideways (style.css): the current example in sight,
  // now and once the page has laid out (a first load could measure the list before its final layout)
  const centre = () => {
    const chosen = list.querySelector('[aria-current]');
    if (chosen && list.scrollWidth > list.clientWidth)
      list.scrollLeft = chosen.offsetLeft - list.offsetLeft - (list.clientWidth - chosen.offsetWidth) / 2;
  };
  centre();
  requestAnimationFrame(centre);
}

/** Writes the page's own texts in `lang`; the elements re-render themselves when <html lang> changes. */
async function applyLang(next) {
  await loadLang(next);
  lang = next;
  t = translator(lang).with(PAGE);
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  // the docs and the tutorial exist in each language: page.html and page.zh-CN.html
  for (const a of document.querySelectorAll('a[data-localized]'))
    a.href = lang === 'en' ? a.dataset.localized : a.dataset.localized.replace(/\.html$/, `.${lang}.html`);
  document.getElementById('nav').setAttribute('aria-label', t('page.examples'));
  const build = isa === null ? '' : t('page.engine', { build: t(`page.engine.${isa}`) });
  document.getElementById('footer').textContent = t('page.footer', { engine: build && `${build} ` });
  switcher.value = lang;
  renderNav();
  document.title = t('page.docTitle', { title: t(EXAMPLES.find((e) => e.id === current).title) });
  notice.textContent = noticeText(t);
}

async function route() {
  const hash = location.hash;
  if (hash === writing) return;
  const { example, state, error } = decodeHash(hash);
  current = example ?? EXAMPLES[0].id;
  await applyLang(hashLang(hash) ?? lang);
  const ok = await playground.load(current, state);
  showNotice((tr) => (error ? decodeHash(hash, tr).error : ok ? '' : tr('page.refused')));
  // a link without lang= (the examples' list, an old link) shown in another language than the
  // browser's: the address says which, so that copying it keeps the language
  if (!hashLang(hash) && lang !== browserLang() && !error) {
    writing = `${hash.length > 1 ? hash : `#example=${current}`}&lang=${lang}`;
    history.replaceState(null, '', writing);
  }
  document.body.dataset.ready = 'true';
}

function writeHash(example, state) {
  const hash = encodeState(example, state, lang);
  if (hash.length > MAX_HASH) {
    showNotice((tr) => tr('page.tooLarge', { length: hash.length, max: MAX_HASH }));
    return;
  }
  writing = hash;
  history.replaceState(null, '', writing);
}

// The address bar follows the state, written once edits pause (not on every keystroke or frame).
let pendingWrite = 0;
playground.addEventListener('attention-change', (e) => {
  clearTimeout(pendingWrite);
  pendingWrite = setTimeout(() => writeHash(e.detail.example, e.detail.state), 150);
  showNotice(() => '');
});

switcher.replaceChildren(...LANGS.map((l) => new Option(LANG_NAMES[l], l)));
for (const option of switcher.options) option.lang = option.value; // each name is read in its own language
switcher.addEventListener('change', async () => {
  await applyLang(switcher.value);
  if (playground.state) writeHash(playground.example, playground.state);
});

window.addEventListener('hashchange', route);
init().then((attn) => {
  isa = attn.isa;
  applyLang(lang);
});
route();
