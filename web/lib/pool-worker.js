// One worker of the pool (pool.js): its own WASM instance of the build the pool asked for, running
// one engine call at a time. The same file runs as a browser module Worker and as a Node
// worker_threads Worker; dist/pool-worker.js is this file bundled.
//
// Messages in: { type: 'init', options } (the options of init(), passed on as they are, so that a
// build option init() learns is honoured here too), { id, method, args }, { type: 'crash' } (the
// pool's tests: an uncaught error, as a crash would be). Messages out: { type: 'ready', info } or
// { type: 'failed', error }, then { id, result, spare } (spare: the arguments' buffers, handed back)
// or { id, error }.
// index.js and checker.js, not api.js: the pool itself is not needed in a worker
import { init } from './index.js';
import './checker.js';

let port = null; // where messages come from and go: the worker's global (browsers) or parentPort (Node)
let engine = null;

let crashed = false;

function receive(message) {
  if (crashed) return; // a crashed worker answers nothing more, whatever is still queued
  // thrown in the handler itself, so that it is uncaught: Node ends the worker, a browser reports
  // an error event, as a real crash would
  if (message.type === 'crash') {
    crashed = true;
    throw new Error('pool-worker: crash requested');
  }
  handle(message);
}

// No top-level await: bundlers turn a worker into a classic script (Vite: iife), where it is a
// syntax error. Node queues the pool's messages until the listener is attached.
if (typeof self === 'object' && typeof self.postMessage === 'function') {
  port = self;
  self.addEventListener('message', (e) => receive(e.data));
} else {
  import('node:worker_threads').then(({ parentPort }) => {
    port = parentPort;
    parentPort.on('message', receive);
  });
}

async function handle(message) {
  if (message.type === 'init') {
    try {
      // the build: init() with the pool's options, so initPool({ isa }) works as soon as init takes
      // isa (branch relaxed), and with none both sides pick the same build by feature detection
      engine = await init(message.options);
      warmUp(engine);
      const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(engine)).filter((m) => m !== 'constructor');
      port.postMessage({
        type: 'ready',
        info: { isa: engine.isa, simd: engine.simd, limits: { ...engine.limits }, methods },
      });
    } catch (e) {
      port.postMessage({ type: 'failed', error: serialise(e) });
    }
  } else {
    const { id, method, args } = message;
    let result;
    try {
      result = engine[method](...args);
    } catch (e) {
      port.postMessage({ id, error: serialise(e) });
      return;
    }
    const buffers = new Set();
    collectBuffers(result, buffers);
    // the arguments were copied into the engine's memory: their buffers go back to the pool, which
    // slices the next call's pieces into them (pool.js, #spare)
    const spare = new Set();
    collectBuffers(args, spare);
    for (const b of spare) {
      // the results move already; a SharedArrayBuffer (an input the caller shares) cannot move
      if (buffers.has(b) || !(b instanceof ArrayBuffer)) spare.delete(b);
    }
    // results are the engine's own copies: move them, do not copy them again
    port.postMessage({ id, result, spare: [...spare] }, [...buffers, ...spare]);
  }
}

// V8 first runs WASM as baseline code (Liftoff) and compiles a function with its optimising
// compiler (TurboFan) only once the function has run for a while, on a background thread. A
// worker's first large calls ran the attention kernels as baseline code, about 2x slower (at (c)
// of the bench: 47 ms per piece instead of 24), and with both cores busy the background compile
// (about 50 ms per kernel) came 1 to 8 calls later: the pool was no faster than one thread until
// it did. Running the kernels once on small inputs here starts that compile while the pool is
// still idle (the compiled code is shared by every worker of the process). About 1 ms per worker.
// Best effort: a worker whose warm-up failed still answers calls (and reports their errors).
function warmUp(engine) {
  try {
    const x = engine.random([1, 64, 64], { seed: 1 });
    engine.attention(x, x, x, { weights: false }); // streaming
    engine.attention(x, x, x, { weights: false, causal: true }); // streaming, causal
    engine.attention(x, x, x); // materialised weights
  } catch {
    // the first call will run as baseline code a while longer; nothing else depends on it
  }
}

function serialise(e) {
  return { name: e?.name ?? 'Error', message: e?.message ?? String(e) };
}

function collectBuffers(value, into) {
  if (value === null || typeof value !== 'object') return;
  if (ArrayBuffer.isView(value)) {
    into.add(value.buffer);
    return;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) collectBuffers(v, into);
}
