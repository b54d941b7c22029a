// Turns the pre-standard f32x4.fma of a relaxed-SIMD module into the standard f32x4.relaxed_madd,
// in place:   node scripts/relaxed-madd.mjs FILE.wasm      (CMakeLists.txt runs it after each link)
//
// Why: Emscripten 3.1.6's clang 14 emits only the pre-standard opcode 0xfd 0xaf 0x01, which
// computes a + b·c and which no shipping engine accepts; its binaryen 108 (run by emcc after
// linking) knows no other. The standard f32x4.relaxed_madd (0xfd 0x85 0x02) computes a·b + c.
// Neither binaryen reads the other's opcode, so the module crosses over as text: binaryen 108
// (Debian's, the one emcc uses) prints it in the flat, standard instruction syntax (its Stack IR),
// where each pre-standard f32x4.fma takes X, Y, Z from the stack and leaves X + Y·Z; that one
// instruction becomes
//   local.set $madd_z  local.set $madd_y  local.set $madd_x
//   local.get $madd_y  local.get $madd_z  local.get $madd_x  f32x4.relaxed_madd
// = Y·Z + X, the same operands in the same order of evaluation, with three v128 locals declared
// in each function that has one; then binaryen 132 (npm, pinned in the lockfile) parses it, folds
// the rotations back into the expressions wherever the order of effects allows (simplify-locals:
// binaryen's own effect analysis decides, so the rewrite itself never reorders anything), drops the
// spare locals (coalesce-locals, reorder-locals, vacuum), validates and writes the binary. Without
// that clean-up the locals cost 3.4 KB gzip (the relaxed module 94.1 KB instead of 90.7).
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const OLD = 'f32x4.relaxed_fma'; // binaryen 108's name for 0xfd 0xaf 0x01
const NEW = 'f32x4.relaxed_madd';
const LOCALS = ['$madd_x', '$madd_y', '$madd_z'];

/**
 * Rewrites binaryen 108's flat (Stack IR) text: every f32x4.relaxed_fma instruction into the
 * sequence above, the locals declared in each function that has one. Returns { text, sites }.
 */
export function rewriteText(text) {
  const lines = text.split('\n');
  const out = [];
  let sites = 0,
    header = -1, // where the current function's header line went in `out`
    declared = false;
  for (const line of lines) {
    if (/^ \(func /.test(line)) {
      header = out.length;
      declared = false;
    }
    const at = line.indexOf(OLD);
    if (at === -1) {
      out.push(line);
      continue;
    }
    if (line.trim() !== OLD || header === -1) throw new Error(`relaxed-madd: unexpected line: ${line}`);
    if (!declared) {
      out.splice(header + 1, 0, ...LOCALS.map((l) => `  (local ${l} v128)`));
      declared = true;
    }
    const indent = line.slice(0, at);
    const [x, y, z] = LOCALS;
    for (const op of [
      `local.set ${z}`,
      `local.set ${y}`,
      `local.set ${x}`,
      `local.get ${y}`,
      `local.get ${z}`,
      `local.get ${x}`,
      NEW,
    ])
      out.push(indent + op);
    sites++;
  }
  return { text: out.join('\n'), sites };
}

export async function rewriteFile(file) {
  const bytes = readFileSync(file);
  const { default: binaryen } = await import('binaryen');
  const features =
    binaryen.Features.MVP |
    binaryen.Features.MutableGlobals |
    binaryen.Features.SignExt |
    binaryen.Features.NontrappingFPToInt |
    binaryen.Features.BulkMemory |
    binaryen.Features.SIMD128 |
    binaryen.Features.RelaxedSIMD;
  // a module that binaryen 132 already reads carries no pre-standard opcode: rewritten already
  try {
    const done = binaryen.readBinary(bytes);
    done.setFeatures(features);
    const ok = done.validate();
    done.dispose();
    if (ok) return { sites: 0, already: true };
  } catch {}
  const binaryenRoot = execFileSync('em-config', ['BINARYEN_ROOT'], { encoding: 'utf8' }).trim();
  // -all: read every feature; --strip-debug: no names section, so functions print as $0, $1, …
  const text = execFileSync(
    `${binaryenRoot}/bin/wasm-opt`,
    ['-all', file, '--strip-debug', '--generate-stack-ir', '--print-stack-ir', '-o', '/dev/null'],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  const { text: rewritten, sites } = rewriteText(text);
  let mod;
  try {
    mod = binaryen.parseText(rewritten);
  } catch (e) {
    throw new Error(`relaxed-madd: binaryen 132 cannot parse the rewritten text of ${file}: ${e?.message ?? e}`);
  }
  try {
    mod.setFeatures(features);
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(0);
    mod.runPasses(['simplify-locals', 'coalesce-locals', 'reorder-locals', 'vacuum']);
    if (!mod.validate()) throw new Error(`relaxed-madd: ${file} does not validate after the rewrite`);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, mod.emitBinary());
    renameSync(tmp, file);
  } finally {
    mod.dispose();
  }
  return { sites, already: false };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    process.stderr.write('usage: node scripts/relaxed-madd.mjs FILE.wasm\n');
    process.exit(2);
  }
  rewriteFile(file).then(
    ({ sites, already }) =>
      process.stdout.write(
        already
          ? `relaxed-madd: ${file} holds no pre-standard f32x4.fma (rewritten already)\n`
          : `relaxed-madd: ${file}: ${sites} f32x4.fma -> f32x4.relaxed_madd\n`,
      ),
    (e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
