// Colour maps: the numbers drawn in heatmap cells meet WCAG AA (4.5:1) against every colour of
// every scheme and the masked grey; the contrast is computed here from WCAG 2's definition in
// float64, independently of colors.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  colourTable,
  DEFAULT_DIVERGING,
  DEFAULT_SEQUENTIAL,
  inkFor,
  inkOn,
  SCHEMES,
} from '../../web/components/colors.js';

const hex = (s) => [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test('cell ink has at least 4.5:1 contrast on every entry of every scheme', () => {
  let worst = Infinity;
  for (const name of Object.keys(SCHEMES)) {
    const { css } = colourTable(name);
    css.forEach((bg, i) => {
      const ink = inkFor(name, i);
      const ratio = contrast(hex(ink.length === 4 ? `#${[...ink.slice(1)].map((c) => c + c).join('')}` : ink), hex(bg));
      worst = Math.min(worst, ratio);
      assert.ok(ratio >= 4.5, `${name}[${i}] ${bg} with ${ink}: ${ratio.toFixed(2)}:1`);
    });
  }
  console.log(`# worst cell contrast over all schemes: ${worst.toFixed(2)}:1`);
});

test('ink on the masked grey and on the hardest greys is black or white at 4.5:1 or more', () => {
  const expand = (ink) => (ink === '#fff' ? [255, 255, 255] : ink === '#000' ? [0, 0, 0] : assert.fail(ink));
  for (let v = 0; v < 256; v++) {
    const ink = expand(inkOn(v, v, v));
    assert.ok(contrast(ink, [v, v, v]) >= 4.5, `grey ${v}`);
  }
  assert.deepEqual(inkOn(140, 140, 140), '#000', 'the masked grey #8c8c8c takes black (white is 3.4:1)');
  assert.equal(inkOn(0, 0, 0), '#fff');
  assert.equal(inkOn(255, 255, 0), '#000');
});

test('the default maps are viridis and RdBu', () => {
  assert.equal(DEFAULT_SEQUENTIAL, 'viridis');
  assert.equal(DEFAULT_DIVERGING, 'rdbu');
});
