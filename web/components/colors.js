// Colour maps: d3-scale-chromatic's interpolators, sampled once into 256-entry lookup tables so
// painting thousands of cells per frame costs an array index each. All defaults are
// colour-blind-safe: viridis/cividis (sequential), RdBu/PuOr (diverging).
import {
  interpolateViridis, interpolateCividis, interpolateMagma, interpolateBlues,
  interpolateRdBu, interpolatePuOr,
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

/** Black or white, whichever reads better on a table entry. */
export function inkFor(name, index) {
  const { rgba } = colourTable(name);
  const [r, g, b] = rgba.subarray(index * 4, index * 4 + 3);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
}
