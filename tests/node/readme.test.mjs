// The README's API example runs as written and prints what its comments say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../../scripts/run.mjs';

test('the README example runs and prints the documented values', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The API'));
  const code = section.match(/```js\n([\s\S]*?)```/)[1];
  // inside the package folder, so `import 'attention-playground'` resolves to this package
  const dir = path.join(root, 'test-output');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'readme-example.mjs');
  writeFileSync(file, code);
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
  const weights = JSON.parse(out.slice(out.indexOf('['), out.indexOf(']\n]') + 3).replace(/\s+/g, ''));
  assert.deepEqual(
    weights.map((r) => r.map((x) => +x.toFixed(4))),
    [
      [0.4011, 0.1978, 0.4011],
      [0.1978, 0.4011, 0.4011],
      [0.2483, 0.2483, 0.5035],
    ],
  );
  assert.match(out, /\[ 2, 1 \] \[ 1, 0, 0 \]/);
  assert.match(code, /\/\/ \[2, 1\] \[1, 0, 0\]/);
});
