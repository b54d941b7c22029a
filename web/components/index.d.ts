// Types for `attention-playground/elements`: importing the module registers the elements
// <attention-heatmap>, <attention-steps>, <attention-playground> and <attention-check> (hand-written: Emscripten 3.1.6
// has no --emit-tsd, and the elements are plain JS).
import type { CheckStep, TensorInput } from '../lib/index.js';

export { init } from '../lib/index.js';
export type { AttentionEngine, TensorInput } from '../lib/index.js';

export type ColourScheme = 'viridis' | 'cividis' | 'magma' | 'blues' | 'rdbu' | 'puor';

/** A matrix as the heatmap holds it: row-major numbers and their shape. */
export interface HeatmapValues {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

export interface CellDetail {
  row: number;
  col: number;
  value: number;
}

/**
 * `<attention-heatmap values="[[0.3, 0.7], [0.5, 0.5]]" rows="Tom,Jerry" cols="汤姆,杰瑞">`
 * Attributes: values (JSON), rows / cols (comma-separated or JSON), scheme, min, max,
 * precision (0–6), label (accessible name), cell-size (px), masked-value.
 */
export class AttentionHeatmap extends HTMLElement {
  /** Set as a nested array or `{ data, shape }`; read back as `{ data, rows, cols }`. */
  get values(): HeatmapValues | null;
  set values(v: number[][] | { data: ArrayLike<number>; shape: readonly number[] } | null);
  rows: string[] | null;
  cols: string[] | null;
  scheme: ColourScheme;
  precision: number;
  min: number | null;
  max: number | null;
  label: string;
  maskedValue: number | null;
  /** The active cell as [row, col], or null. */
  activeCell: [number, number] | null;
  /** The figure as a PNG. */
  toPNG(): Promise<Blob>;
  /** The figure as an SVG document (text). */
  toSVG(): string;
}

/** The inputs of an `<attention-steps>` figure, as its JSON child holds them. */
export interface StepsSpec {
  queries?: TensorInput;
  keys?: TensorInput;
  values?: TensorInput;
  x?: TensorInput;
  wq?: TensorInput;
  wk?: TensorInput;
  wv?: TensorInput;
  options?: Record<string, unknown>;
  labels?: { queries?: string[]; keys?: string[] };
  title?: string;
}

/**
 * `<attention-steps example="self-attention">`, or with a `<script type="application/json">` child.
 * Attributes: example (a built-in id), precision (2–6).
 */
export class AttentionSteps extends HTMLElement {
  example: string | null;
  precision: number;
  spec: StepsSpec | null;
}

/** The state of a playground: plain JSON, the same that the permalink holds. */
export interface PlaygroundState {
  labels: Record<string, string[]>;
  inputs: Record<string, number[][]>;
  options: Record<string, unknown>;
  /** Free text an example reads (the checker's pasted worked example). */
  texts?: Record<string, string>;
  precision: number;
}

/**
 * `<attention-playground example="causal-mask" controls="temperature,mask">`
 * Attributes: example, controls (comma-separated), readonly, precision (2–6).
 */
export class AttentionPlayground extends HTMLElement {
  example: string;
  readonly: boolean;
  precision: number;
  /** A copy of the current state; setting it shows that state (or keeps the old one and says why). */
  get state(): PlaygroundState | null;
  set state(s: PlaygroundState | null);
  /** Loads an example and, optionally, a state for it; false (with a message) if the state is refused. */
  load(exampleId: string, state?: PlaygroundState | null): Promise<boolean>;
}

/** What `<attention-check>` found: null before the first check, or when the text cannot be read. */
export interface CheckVerdict {
  verdict: 'correct' | 'wrong';
  /** The first claimed step that is wrong, or null. */
  firstWrong: CheckStep | null;
}

/**
 * `<attention-check>X = [[1, 0], [0, 1]] … weights = [[0.6698, 0.3302], …]</attention-check>`:
 * checks the worked example between its tags (or in a `<script type="text/plain">` child).
 * Attributes: scoring ('scaled_dot' | 'dot'), causal, decimals (0–6), readonly, precision (2–6).
 */
export class AttentionCheck extends HTMLElement {
  /** The worked example checked: set it, or it is read from the element's content. */
  text: string;
  readonly result: CheckVerdict | null;
}

/** The built-in worked examples, in the page's order; `title` is a message key: translator(lang)(title). */
export const EXAMPLES: ReadonlyArray<{ id: string; title: string }>;
/** The permalink fragment ("#example=…&state=…", then "&lang=…" when given) for an example and its state. */
export function encodeState(exampleId: string, state: PlaygroundState, lang?: Lang): string;
/** The longest permalink fragment the page reads. */
export const MAX_HASH: number;
/** Reads a permalink fragment; `t` writes the error in a language (default English). */
export function decodeHash(
  hash: string,
  t?: Translator,
): { example: string | null; state?: PlaygroundState | null; error?: string; lang?: Lang };
/** The language a permalink fragment asks for (its lang=), or null. */
export function hashLang(hash: string): Lang | null;

/** The interface languages. An element speaks its closest `lang` attribute's (its own or an ancestor's). */
export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[];
/** Each language's name in itself: { en: 'English', 'zh-CN': '简体中文' }. */
export const LANG_NAMES: Readonly<Record<Lang, string>>;
/** The browser's first language as a supported one (any Chinese → zh-CN, else en). */
export function browserLang(): Lang;
/** Loads a language's messages (English is always loaded). */
export function loadLang(lang: Lang): Promise<void>;
/** A message function: t(key, params); `count` chooses a plural form (Intl.PluralRules). */
export interface Translator {
  (key: string, params?: Record<string, string | number>): string;
  readonly lang: Lang;
  /** Items joined as the language joins a list (Intl.ListFormat). */
  list(items: string[]): string;
}
/** The message function of a loaded language (English until loadLang(lang) has resolved). */
export function translator(lang: Lang): Translator;
/** Registers the elements under their names in `registry` (done on import for the global one). */
export function define(registry?: CustomElementRegistry): void;

export interface AttentionEventMap {
  'attention-change': CustomEvent<Record<string, unknown>>;
  'attention-cell-focus': CustomEvent<CellDetail>;
  'attention-cell-select': CustomEvent<CellDetail>;
  'attention-message': CustomEvent<{ message: string }>;
  'attention-check': CustomEvent<CheckVerdict>;
}

declare global {
  interface HTMLElementTagNameMap {
    'attention-heatmap': AttentionHeatmap;
    'attention-steps': AttentionSteps;
    'attention-playground': AttentionPlayground;
    'attention-check': AttentionCheck;
  }
  // the events bubble and are composed, so listeners anywhere above an element receive them
  interface HTMLElementEventMap extends AttentionEventMap {}
}
