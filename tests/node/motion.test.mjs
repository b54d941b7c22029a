// prefers-reduced-motion: the page and the elements move nothing on their own. Any transition,
// animation or smooth scrolling added to web/ must sit behind
// @media (prefers-reduced-motion: no-preference) (or a matchMedia check of it in JS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../../scripts/run.mjs';

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'wasm' ? [] : files(full);
    return /\.(css|js|html)$/.test(e.name) ? [full] : [];
  });
}

test('no motion in web/ outside a prefers-reduced-motion guard', () => {
  const moving =
    /\btransition\s*:|\banimation(-name)?\s*:|@keyframes|scroll-behavior\s*:\s*smooth|behavior\s*:\s*['"]smooth|\.animate\(/;
  const all = files(path.join(root, 'web'));
  assert.ok(all.length > 20, `${all.length} files scanned`);
  for (const f of all) {
    const text = readFileSync(f, 'utf8');
    if (moving.test(text)) {
      assert.match(
        text,
        /prefers-reduced-motion/,
        `${path.relative(root, f)} moves things without a prefers-reduced-motion guard`,
      );
    }
  }
});
