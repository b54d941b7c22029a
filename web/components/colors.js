// Colour maps: d3-scale-chromatic's interpolators, sampled once into 256-entry lookup tables so
// painting thousands of cells per frame costs an array index each. All defaults are
// colour-blind-safe: viridis (sequential) and cividis rise monotonically in lightness, so a weight
// reads the same to deuteranopes, protanopes and in greyscale; RdBu/PuOr (diverging) run
// blue-to-red / purple-to-orange, hues that red-green colour blindness keeps apart, through a light
// middle, so the sign stays readable too. (Rainbow maps such as jet fail both tests.)
import {
  interpolateViridis,
  interpolateCividis,
  interpolateMagma,
  interpolateBlues,
  interpolateRdBu,
  interpolatePuOr,
  schemeTableau10,
} from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

export const SCHEMES = {
  viridis: { interpolate: interpolateViridis, diverging: false },
  cividis: { interpolate: interpolateCividis, diverging: false },
  magma: { interpolate: interpolateMagma, diverging: false },
  blues: { interpolate: interpolateBlues, diverging: false },
  // reversed so that negative is blue/purple and positive is red/orange
  rdbu: { interpolate: (t) => interpolateRdBu(1 - t), diverging: true },
  puor: { interpolate: (t) => interpolatePuOr(1 - t), diverging: true },
};
export const DEFAULT_SEQUENTIAL = 'viridis';

/**
 * Colours for categories (a head each in the translator's head view): Tableau 10, whose hues were
 * chosen to stay apart for most colour-vision deficiencies and to read on light and dark grounds.
 */
export const CATEGORICAL = schemeTableau10;
export const DEFAULT_DIVERGING = 'rdbu';

const tables = new Map();

/**
 * { css: string[256], rgba: Uint8ClampedArray(256·4), pixels: Uint32Array(256) } for a scheme
 * name; `pixels` views `rgba` as one word per colour, to copy into an ImageData's words.
 */
export function colourTable(name) {
  const scheme = SCHEMES[name] ?? SCHEMES[DEFAULT_SEQUENTIAL];
  if (!tables.has(name)) {
    const css = new Array(256);
    const rgba = new Uint8ClampedArray(256 * 4);
    for (let i = 0; i < 256; i++) {
      const c = rgb(scheme.interpolate(i / 255));
      css[i] = c.formatHex();
      rgba.set([c.r, c.g, c.b, 255], i * 4);
    }
    tables.set(name, { css, rgba, pixels: new Uint32Array(rgba.buffer), diverging: scheme.diverging });
  }
  return tables.get(name);
}

/**
 * Maps a value to a table index for the range [min, max] (for diverging maps, symmetric around 0 is
 * the caller's choice of min/max). Rendering only: the value itself comes from the engine.
 */
export function colourIndex(value, min, max) {
  if (!Number.isFinite(value)) return value > 0 ? 255 : 0;
  if (max <= min) return 128;
  const t = (value - min) / (max - min);
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
}

/** The ink for numbers drawn on a table entry: see inkOn. */
export function inkFor(name, index) {
  const { rgba } = colourTable(name);
  return inkOn(...rgba.subarray(index * 4, index * 4 + 3));
}

/**
 * Black or white, whichever has the higher WCAG 2 contrast ratio against the colour (r, g, b bytes).
 * With pure black the better of the two is at least 4.58:1 on any colour (the worst case, where both
 * tie, is (L + 0.05)² = 1.05 · 0.05), so cell numbers always meet WCAG AA's 4.5:1; a softer #111
 * would drop to 4.36:1 on mid-luminance cells.
 */
export function inkOn(r, g, b) {
  const l = relativeLuminance(r, g, b);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#fff' : '#000';
}

/** WCAG 2's relative luminance of an sRGB colour given as bytes. */
export function relativeLuminance(r, g, b) {
  const lin = (v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
