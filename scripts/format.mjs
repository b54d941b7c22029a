// `npm run format`: rewrites the tracked C++ (clang-format, .clang-format) and JS (prettier,
// .prettierrc.json) in the project's style. `npm run format -- --check` rewrites nothing: it lists
// the files that differ from it and exits 1 if there are any.
// clang-format is Debian's `clang-format` package (14 on bookworm); prettier is a pinned dev
// dependency. Only files git tracks are formatted, so build outputs and node_modules never are.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { log, main, root, which } from './run.mjs';

const CXX = ['*.cpp', '*.hpp'];
const JS = ['*.js', '*.mjs', '*.d.ts'];
const CLANG_FORMAT = 'clang-format';

function tracked(patterns) {
  return execFileSync('git', ['ls-files', '-z', '--', ...patterns], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
}

// The text clang-format makes of `file` (with the .clang-format nearest to it).
function clangFormatted(file) {
  const r = spawnSync(CLANG_FORMAT, ['--style=file', file], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`format: clang-format failed on ${file}:\n${r.stderr}`);
  return r.stdout;
}

async function prettierFormatted(file, text) {
  const options = await prettier.resolveConfig(path.join(root, file));
  return prettier.format(text, { ...options, filepath: path.join(root, file) });
}

main(async () => {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length) throw new Error(`format: unknown argument ${unknown.join(' ')}; expected nothing or --check`);
  const check = args.includes('--check');
  if (!which(CLANG_FORMAT)) {
    throw new Error(
      'format: clang-format is missing. On Debian (as root): apt-get install --no-install-recommends clang-format',
    );
  }
  const jobs = [
    ...tracked(CXX).map((file) => ({ file, tool: 'clang-format', format: async () => clangFormatted(file) })),
    ...tracked(JS).map((file) => ({ file, tool: 'prettier', format: async (text) => prettierFormatted(file, text) })),
  ];
  const differ = { 'clang-format': [], prettier: [] };
  for (const { file, tool, format } of jobs) {
    const full = path.join(root, file);
    const text = readFileSync(full, 'utf8');
    const formatted = await format(text);
    if (formatted === text) continue;
    differ[tool].push(file);
    if (!check) writeFileSync(full, formatted);
  }
  const total = differ['clang-format'].length + differ.prettier.length;
  for (const [tool, files] of Object.entries(differ)) {
    const of = jobs.filter((j) => j.tool === tool).length;
    log('format', `${tool}: ${files.length} of ${of} files ${check ? 'differ' : 'rewritten'}`);
    if (check) for (const f of files) process.stdout.write(`  ${f}\n`);
  }
  if (check && total > 0) process.exit(1);
});
