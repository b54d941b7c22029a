// Small process helpers shared by the scripts (Node built-ins only: they run before `npm ci`).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function log(stage, message) {
  process.stdout.write(`[${stage}] ${message}\n`);
}

/** Runs a command with inherited stdio; rejects with a message naming it on a non-zero exit. */
export function run(cmd, args, { cwd = root, env = process.env, stage = 'run' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: 'inherit' });
    child.on('error', (e) => reject(new Error(`${stage}: cannot start ${cmd}: ${e.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${stage}: \`${[cmd, ...args].join(' ')}\` failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Runs a command, echoing its output and also returning it (for summaries). Never rejects. */
export function capture(cmd, args, { cwd = root, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('error', (e) => resolve({ code: 127, out: `${out}\ncannot start ${cmd}: ${e.message}` }));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

export function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Runs `main` and turns a thrown error into a one-line message and exit code 1. */
export function main(fn) {
  fn().catch((e) => {
    process.stderr.write(`\n${e.message}\n`);
    process.exit(1);
  });
}
