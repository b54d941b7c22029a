// Shared styles of the elements, as constructable stylesheets (strict-CSP safe). Theming through CSS
// custom properties: --attention-fg, --attention-bg, --attention-panel, --attention-line,
// --attention-accent, --attention-bad, --attention-good, --attention-font, --attention-mono.
import { sheet } from './element.js';

export const BASE = sheet(`
  :host {
    --fg: var(--attention-fg, #1b1f24); --muted: var(--attention-muted, #57606a); --bg: var(--attention-bg, #ffffff);
    --panel: var(--attention-panel, #f6f8fa); --line: var(--attention-line, #d0d7de); --accent: var(--attention-accent, #0969da);
    --bad: var(--attention-bad, #cf222e); --good: var(--attention-good, #1a7f37);
    --mono: var(--attention-mono, ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace);
    display: block; color: var(--fg); font: 15px/1.5 var(--attention-font, system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif);
    container-type: inline-size;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --fg: var(--attention-fg, #e6edf3); --muted: var(--attention-muted, #8d96a0); --bg: var(--attention-bg, #0d1117);
      --panel: var(--attention-panel, #161b22); --line: var(--attention-line, #30363d); --accent: var(--attention-accent, #4493f8);
      --bad: var(--attention-bad, #f85149); --good: var(--attention-good, #3fb950);
    }
  }
  [hidden] { display: none !important; }
  h2 { font-size: 1.3rem; margin: 0 0 0.25rem; }
  h3 { font-size: 1.05rem; margin: 0; }
  .summary, .note { color: var(--muted); max-width: 60rem; }
  .note { font-size: 0.9rem; margin: 0.25rem 0 0.5rem; }
  button, select, input, textarea { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
  button { padding: 0.15rem 0.6rem; cursor: pointer; }
  button:hover { border-color: var(--accent); }
  button:focus-visible, select:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
  .message { color: var(--bad); border: 1px solid var(--bad); border-radius: 6px; padding: 0.4rem 0.75rem; margin: 0.5rem 0; }
  .controls { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.5rem 0.75rem; margin: 0.5rem 0;
              background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
  .controls label { display: inline-flex; gap: 0.35rem; align-items: center; font-size: 0.9rem; max-width: 100%; white-space: nowrap; }
  .controls input { max-width: 100%; min-width: 0; }
  .controls input[type=number] { width: 4.5rem; padding: 0.1rem 0.3rem; }
  .controls input[type=text] { width: 16rem; flex: 0 1 16rem; padding: 0.1rem 0.3rem; }
  .controls .group { display: inline-flex; gap: 0.35rem; align-items: center; flex-wrap: wrap; }
  .controls label.text { display: flex; flex-direction: column; align-items: stretch; flex: 1 1 100%; }
  .controls textarea { font: 0.8rem/1.4 var(--mono); padding: 0.3rem 0.5rem; }
  .controls textarea[aria-invalid="true"] { border-color: var(--bad); }
  .lens input { width: 3rem; }
  .cells { display: inline-grid; gap: 1px; }
  .cells button { width: 1.3rem; height: 1.3rem; padding: 0; border-radius: 2px; font-size: 0.7rem; line-height: 1; }
  .cells button[aria-pressed="false"] { background: var(--line); color: var(--muted); }
  .layout { display: grid; grid-template-columns: minmax(0, 1fr) 20rem; gap: 1rem; align-items: start; }
  @container (max-width: 900px) { .layout { grid-template-columns: minmax(0, 1fr); } }
  .layout.solo { grid-template-columns: minmax(0, 1fr); }
  .step { border-top: 1px solid var(--line); padding: 0.75rem 0 1rem; content-visibility: auto; contain-intrinsic-size: auto 480px; }
  .step.shown { content-visibility: visible; }  /* once seen, always drawn (e.g. in a full-page capture) */
  .step-head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: baseline; }
  .step.first-wrong { border-left: 4px solid var(--bad); padding-left: 0.75rem; }
  .status { font-size: 0.8rem; font-weight: 600; padding: 0 0.45rem; border-radius: 999px; border: 1px solid currentColor; }
  .status.correct { color: var(--good); }
  .status.wrong { color: var(--bad); }
  .status.carried, .status.not-given { color: var(--muted); }
  .first-wrong .status.wrong { color: var(--bg); background: var(--bad); border-color: var(--bad); }
  table.matrix td.wrong { color: var(--bad); outline: 1px solid var(--bad); outline-offset: -1px; }
  table.matrix td.wrong .expected { color: var(--good); font-weight: 600; }
  .shape { font-family: var(--mono); font-size: 0.8rem; color: var(--muted); }
  .tex { display: block; overflow-x: auto; overflow-y: hidden; }
  .tex.inline { display: inline; }
  .figures { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; align-items: flex-start; margin-top: 0.5rem; }
  .pair { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; align-items: flex-start; max-width: 100%; }
  .figures.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
  .figures.grid[data-columns="2"] { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .figures.grid[data-columns="3"] { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .figures.grid[data-columns="4"] { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  @container (max-width: 700px) { .figures.grid[data-columns]:not([data-columns="wide"]) { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
  /* cards wide enough for a cell per text line: a 12-token heatmap labels every token */
  .figures.grid[data-columns="wide"] { grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
  /* on a phone a card's padding is the few pixels a 12-token heatmap needs for a line per cell */
  @container (max-width: 420px) { .figures.grid[data-columns="wide"] figure { padding-inline: 0.25rem; } }
  /* border-box: max-width 100% holds the padding and border too, so a figure never leaves its column */
  figure { box-sizing: border-box; margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 0.75rem; max-width: 100%; }
  /* the caption's parts wrap as wholes ("2 × 3" never splits); Export stays at the right */
  figcaption { display: flex; flex-wrap: wrap; column-gap: 0.75rem; row-gap: 0.15rem; align-items: baseline; font-size: 0.85rem; color: var(--muted); }
  figcaption > :not(.name) { white-space: nowrap; }
  figcaption > .export { margin-left: auto; }
  figcaption .name { font-weight: 600; color: var(--fg); }
  /* layout and paint containment: a rewritten number repaints its own matrix, not the page
     (one cell edited at 64 tokens × 8 heads: paint 3.6 → 1.5 ms, pre-paint 0.85 → 0.4 ms) */
  .scroll { max-height: 26rem; max-width: 100%; overflow: auto; contain: layout paint; }
  /* a tall matrix scrolls in a box of fixed size: with size containment, rewriting its numbers
     relays out only the box (64 × 64 tables: 22 → 14 ms per edit) */
  .scroll.tall { contain: strict; height: 26rem; width: min(46rem, 92cqw); }
  table.matrix { border-collapse: collapse; font-variant-numeric: tabular-nums; font-family: var(--mono); font-size: 0.85rem; }
  table.matrix caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.matrix th { color: var(--muted); font-weight: normal; font-family: var(--attention-font, system-ui, sans-serif); padding: 0 0.4rem; white-space: nowrap; }
  table.matrix thead th { text-align: right; }
  table.matrix td { padding: 0.05rem 0.4rem; text-align: right; white-space: nowrap; }
  table.matrix td.num[tabindex] { cursor: pointer; border-radius: 3px; }
  table.matrix td.num:focus { background: var(--accent); color: var(--bg); outline: none; }
  table.matrix td.edit { border: 1px dashed var(--line); cursor: text; }
  table.matrix input { width: 4.2rem; text-align: right; padding: 0.05rem 0.25rem; font-family: var(--mono); font-size: 0.85rem; }
  table.matrix input[aria-invalid="true"] { border-color: var(--bad); outline: 2px solid var(--bad); }
  details.export { font-size: 0.8rem; position: relative; }
  details.export summary { cursor: pointer; color: var(--accent); list-style: none; }
  details.export summary::-webkit-details-marker { display: none; }
  details.export div { position: absolute; right: 0; z-index: 3; display: flex; flex-direction: column; gap: 0.2rem; padding: 0.4rem;
                       background: var(--bg); border: 1px solid var(--line); border-radius: 6px; min-width: 8rem; }
  .explain { position: sticky; top: 0.5rem; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem; font-size: 0.9rem; }
  .explain .close { float: right; border: 0; background: none; color: var(--muted); font-size: 1.2rem; line-height: 1; cursor: pointer; padding: 0 0.25rem; }
  /* one column (a phone): the panel of a chosen weight stays at the bottom of the screen */
  @container (max-width: 900px) { .explain.docked { top: auto; bottom: 0.5rem; max-height: 45vh; overflow: auto; z-index: 2; box-shadow: 0 -2px 12px rgb(0 0 0 / 0.25); } }
  .explain table { border-collapse: collapse; font-family: var(--mono); font-size: 0.8rem; width: 100%; }
  .explain td, .explain th { padding: 0.05rem 0.3rem; text-align: right; }
  .explain tr.chosen { background: var(--accent); color: var(--bg); }
  .wide { max-width: 100%; overflow-x: auto; }
  /* a box that scrolls sideways fades at the edges with more beyond them (overflow.js), and a figure
     shades its inner edge beside it: a cue where the cut falls on blank space too */
  [data-more] { --f: 1.5rem; mask-image: linear-gradient(to right, var(--l, #000), #000 var(--f), #000 calc(100% - var(--f)), var(--r, #000)); }
  [data-more~=left] { --l: transparent; }
  [data-more~=right] { --r: transparent; }
  figure:has(> [data-more]) { box-shadow: inset var(--sl, 0) 0 8px -8px #0009, inset var(--sr, 0) 0 8px -8px #0009; }
  figure:has(> [data-more~=left]) { --sl: 10px; }
  figure:has(> [data-more~=right]) { --sr: -10px; }
  /* a row's name on one line: squeezed into a phone, the first column wrapped a character per line */
  .compare { border-collapse: collapse; }
  .compare th[scope=row] { white-space: nowrap; }
  .compare th, .compare td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; text-align: left; vertical-align: middle; }
  .compare .wrong { color: var(--bad); }
  .compare .right { color: var(--good); }
  .compare .given { color: var(--muted); }
  .toolbar { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0.5rem 0; }
  /* a chart is drawn at its figure's width (chart.js), up to 640 px */
  figure[data-chart] { flex: 1 1 100%; max-width: min(100%, calc(640px + 1.5rem + 2px)); }
  svg.chart { display: block; max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
  svg.chart .axis { stroke: var(--muted); }
  svg.chart .grid { stroke: var(--line); stroke-dasharray: 2 3; }
  svg.chart text { fill: var(--fg); }
  svg.chart .tick { fill: var(--muted); }
  attention-heatmap { --attention-fg: var(--fg); }
`);
