// The worker pool: the engine's methods, async, run in Web Workers (browsers) or worker_threads
// (Node), each worker holding its own WASM instance of the same build. No SharedArrayBuffer, so no
// cross-origin isolation is needed: any page can use every core.
//
//   import { initPool } from 'attention-playground';
//   const pool = await initPool({ workers: 2 });
//   const { output } = await pool.attention(q, k, v, { weights: false });
//   pool.close();
//
// A call is split when it is large enough: attention and multi-head attention by batch and by
// query rows, selfAttention and transformerBlock by batch. Each piece is an ordinary engine call
// on a slice, and the pieces are joined in place, so the result is bit for bit the synchronous
// engine's: every kernel computes a query row from that row, its keys and its values alone, and
// row pieces start on a multiple of the kernels' span of rows (kFlashSpan, 256), so each row goes
// through the same lanes and tiles as in one call. (Pieces of any length were bit-identical too
// in the SIMD build, when tried; the alignment keeps that true if a kernel ever shares work between
// rows of a span.) Calls that are not row-local are not split by
// rows: causal (a row's mask depends on its index), sampling (one PRNG stream over all rows), and
// multi-head traces (their k and v steps have no query axis). Everything else runs whole on one
// worker.
//
// Errors are the engine's own: a call whose arguments cannot be sliced is sent whole, and when a
// piece is refused, the whole call is run once more on one worker (refusals come from the checks
// that precede any math, so that costs little) and its TypeError / RangeError is the one thrown.
import { init } from './index.js';
import { Tensor, toRaw } from './tensor.js';
import { spawnWorker } from './pool-spawn.js';

// A piece of a row split starts on a multiple of this many query rows (kFlashSpan in kernels.hpp).
const ROW_ALIGN = 256;
// Calls with fewer query-key pairs than this run whole: messaging costs more than it saves.
const MIN_SPLIT_PAIRS = 1 << 16;

// Which calls are split, their tensor arguments (batch on axis 0 when they have rank 3), and
// whether their queries may be split by rows.
const SPLITS = {
  attention: { inputs: ['queries', 'keys', 'values'], rows: true },
  multiHeadAttention: { inputs: ['queries', 'keys', 'values'], rows: true },
  selfAttention: { inputs: ['x'], rows: false },
  transformerBlock: { inputs: ['x'], rows: false },
};

// The most bytes of input buffers the workers have handed back that the pool keeps for the next
// call's pieces (see #spare).
const MAX_SPARE_BYTES = 64 << 20;

const ERRORS = { TypeError, RangeError, SyntaxError };
const CRASHED = Symbol('crashed');

/**
 * Starts a pool of workers, each loading the same build of the engine.
 * @param {{ workers?: number, simd?: 'auto' | boolean }} [options] workers: how many (default: the
 *   number of cores); 0 runs every call on the calling thread. The other options are init()'s,
 *   passed to every worker, so the workers run the build that init() with them would load.
 * @returns {Promise<AttentionPool>}
 */
export async function initPool(options = {}) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`initPool: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { workers = await defaultWorkers(), ...engineOptions } = options;
  if (typeof workers !== 'number') throw new TypeError(`initPool: workers must be a number, got ${typeof workers}`);
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) {
    throw new RangeError(`initPool: workers must be an integer in [0, 64], got ${workers}`);
  }
  const pool = new AttentionPool(engineOptions);
  await pool._start(workers);
  return pool;
}

async function defaultWorkers() {
  if (typeof navigator === 'object' && navigator.hardwareConcurrency) return navigator.hardwareConcurrency;
  if (typeof process === 'object' && process.versions?.node) {
    return (await import('node:os')).availableParallelism();
  }
  return 1;
}

/** The pool returned by initPool(): every engine method, async. */
export class AttentionPool {
  #options; // init()'s options, for every worker and the calling thread's engine
  #workers = []; // { handle, busy: task | null }
  #queue = []; // tasks waiting for a worker
  #local = null; // the calling thread's engine (fallback), loaded on first need
  #closed = false;
  #nextId = 1;
  #info = null;
  // Input buffers the workers moved back after a call, by byte length, for the next call's pieces:
  // a fresh ArrayBuffer of megabytes costs its page faults on the main thread every time (measured
  // in Node: slicing a 3 MB piece, median 1.3 ms fresh, 0.2 ms into pages already touched), while
  // the workers wait for their pieces.
  // Only sizes the pieces asked for are kept (the unsliced inputs, cloned to every worker, come
  // back too), a few of each.
  #spare = new Map();
  #spareBytes = 0;
  #sliced = new Set();

  constructor(options) {
    this.#options = options;
  }

  /** How many workers run calls (0: the calling thread does). */
  get workers() {
    return this.#workers.length;
  }

  // Starts `count` workers; where none can start, calls run on the calling thread.
  async _start(count) {
    const started = await Promise.allSettled(Array.from({ length: count }, () => this.#spawn()));
    const failed = started.find((s) => s.status === 'rejected');
    if (this.#workers.length === 0) {
      // a worker that started and refused the options (init's own error) is not a reason to fall back
      if (failed && failed.reason?.name !== 'WorkerUnavailable' && !isStartFailure(failed.reason)) throw failed.reason;
      const engine = await this.#engine();
      this.#info = infoOf(engine);
    }
    const methods = this.#info.methods;
    for (const name of methods) {
      Object.defineProperty(this, name, {
        value: (...args) => this.#call(name, args),
        enumerable: false,
      });
    }
    // A model is an object with its weights in one WASM instance (a handle), which cannot cross to
    // a worker and back: pool.loadModel loads it on the calling thread, with the pool's build.
    if (!methods.includes('loadModel')) {
      Object.defineProperty(this, 'loadModel', {
        value: async (bytes) => {
          const engine = await this.#engine();
          if (typeof engine.loadModel !== 'function') {
            throw new TypeError("loadModel: import 'attention-playground' (or web/lib/model.js) to load models");
          }
          return engine.loadModel(bytes);
        },
        enumerable: false,
      });
    }
    /** The kernels every worker runs ('simd128', 'scalar', ...), as attn.isa. */
    this.isa = this.#info.isa;
    /** True when the SIMD build is in use, as attn.simd. */
    this.simd = this.#info.simd;
    /** The engine's input limits, as attn.limits. */
    this.limits = Object.freeze({ ...this.#info.limits });
  }

  /** Stops the workers; calls not yet answered are rejected. */
  close() {
    this.#closed = true;
    const error = new Error('attention-playground pool: closed before the call was answered');
    for (const w of this.#workers) {
      w.dead = true;
      w.handle.terminate();
      w.busy?.reject(error);
    }
    for (const task of this.#queue.splice(0)) task.reject(error);
    this.#workers = [];
    this.#spare.clear();
    this.#spareBytes = 0;
  }

  // Testing: makes worker `index` throw an uncaught error, as a crash would.
  [Symbol.for('attention-playground.pool.crash')](index) {
    this.#workers[index].handle.post({ type: 'crash' });
  }

  async #spawn() {
    const handle = await spawnWorker();
    if (handle === null) throw Object.assign(new Error('no Worker in this runtime'), { name: 'WorkerUnavailable' });
    const worker = { handle, busy: null, dead: false };
    const info = await new Promise((resolve, reject) => {
      handle.onmessage = (m) => (m.type === 'ready' ? resolve(m.info) : reject(toError(m.error)));
      handle.onfailure = (e) => reject(Object.assign(e, { startFailure: true }));
      handle.post({ type: 'init', options: this.#options });
    }).catch((e) => {
      handle.terminate();
      throw e;
    });
    this.#info ??= info;
    handle.hold(false);
    handle.onmessage = (m) => this.#answer(worker, m);
    handle.onfailure = (e) => this.#crashed(worker, e);
    if (this.#closed) {
      handle.terminate();
      return;
    }
    this.#workers.push(worker);
    this.#pump();
  }

  #answer(worker, { result, error, spare = [] }) {
    for (const buffer of spare) this.#keep(buffer);
    const task = worker.busy;
    worker.busy = null;
    worker.handle.hold(false);
    if (task) {
      if (error) task.reject(toError(error));
      else task.resolve(revive(result));
    }
    this.#pump();
  }

  // A worker died or threw outside a call: reject its call, replace it.
  #crashed(worker, cause) {
    if (worker.dead) return;
    worker.dead = true;
    worker.handle.terminate();
    this.#workers = this.#workers.filter((w) => w !== worker);
    const task = worker.busy;
    worker.busy = null;
    if (task) {
      const e = new Error(
        `attention-playground pool: the worker running ${task.method} crashed (${cause?.message ?? cause}); ` +
          'the call was not completed and the worker has been replaced',
        { cause },
      );
      e[CRASHED] = true;
      task.reject(e);
    }
    for (const t of this.#queue.filter((t) => t.target === worker)) {
      this.#queue.splice(this.#queue.indexOf(t), 1);
      t.reject(new Error('attention-playground pool: the worker this call was for crashed', { cause }));
    }
    if (this.#closed) return;
    this.#spawn().catch(() => this.#pump()); // with no worker left, the queue runs on the calling thread
  }

  #pump() {
    for (const worker of this.#workers) {
      if (worker.busy || worker.dead) continue;
      const at = this.#queue.findIndex((t) => t.target === undefined || t.target === worker);
      if (at < 0) continue;
      const [task] = this.#queue.splice(at, 1);
      try {
        worker.handle.post({ id: this.#nextId++, method: task.method, args: task.args }, task.transfer);
        worker.busy = task;
        worker.handle.hold(true);
      } catch {
        // an argument that cannot be cloned (a function, a symbol): the engine refuses it, here
        this.#runLocally(task);
      }
    }
    if (this.#workers.length === 0) for (const task of this.#queue.splice(0)) this.#runLocally(task);
  }

  async #runLocally(task) {
    try {
      const engine = await this.#engine();
      task.resolve(engine[task.method](...task.args));
    } catch (e) {
      task.reject(e);
    }
  }

  #engine() {
    this.#local ??= init(this.#options);
    return this.#local;
  }

  #keep(buffer) {
    const list = this.#spare.get(buffer.byteLength) ?? [];
    if (this.#closed || !this.#sliced.has(buffer.byteLength) || list.length >= 8) return;
    if (this.#spareBytes + buffer.byteLength > MAX_SPARE_BYTES) return;
    list.push(buffer);
    this.#spare.set(buffer.byteLength, list);
    this.#spareBytes += buffer.byteLength;
  }

  // A typed array of `n` elements for a piece: on a spare buffer of that size when there is one.
  #array(Type, n) {
    if (this.#sliced.size >= 32) {
      this.#sliced.clear();
      this.#spare.clear();
      this.#spareBytes = 0;
    }
    this.#sliced.add(n * Type.BYTES_PER_ELEMENT);
    const buffer = this.#spare.get(n * Type.BYTES_PER_ELEMENT)?.pop();
    if (!buffer) return new Type(n);
    this.#spareBytes -= buffer.byteLength;
    return new Type(buffer);
  }

  // One call on one worker (or the calling thread).
  #run(method, args, transfer = [], target = undefined) {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(new Error('attention-playground pool: closed'));
        return;
      }
      this.#queue.push({ method, args, transfer, target, resolve, reject });
      this.#pump();
    });
  }

  async #call(method, args) {
    if (method === 'memory' && this.#workers.length > 1) {
      // the pool's memory is every worker's: each holds its own instance and its piece of a call
      const each = await Promise.all(this.#workers.map((w) => this.#run(method, args, [], w)));
      const sum = (key) => each.reduce((a, m) => a + m[key], 0);
      return { heapBytes: sum('heapBytes'), allocatedBytes: sum('allocatedBytes'), heldBytes: sum('heldBytes') };
    }
    const pieces = this.#workers.length > 1 && SPLITS[method] ? this.#split(method, args) : null;
    if (!pieces) return this.#run(method, args);
    // one piece per task: copying a piece's arguments into its message takes milliseconds, and the
    // page's main thread must not hold them all in one task
    // each piece's result is put in place as it arrives, while the others still run
    const joined = new Joined(pieces);
    const calls = [];
    for (const p of pieces) {
      if (calls.length) await nextTask();
      const call = this.#run(method, p.args, p.transfer);
      // a rejection is handled below, with the others; it may come before the rest are sent
      call.then(
        (result) => joined.add(result, p),
        () => {},
      );
      calls.push(call);
    }
    const outcomes = await Promise.allSettled(calls);
    const crash = outcomes.find((o) => o.status === 'rejected' && o.reason?.[CRASHED]);
    if (crash) throw crash.reason;
    // a refused piece: the whole call gives the engine's own error (with the whole call's shapes)
    if (outcomes.some((o) => o.status === 'rejected')) return this.#run(method, args);
    return joined.result();
  }

  // The pieces of a call, or null when it runs whole.
  #split(method, args) {
    const spec = SPLITS[method];
    const options = args[spec.inputs.length] ?? {};
    if (options === null || typeof options !== 'object' || Array.isArray(options)) return null;
    if (options.mode === 'sample' || args.length > spec.inputs.length + 1) return null;
    let raws;
    try {
      const limit = { maxElements: this.limits.maxElements };
      raws = spec.inputs.map((name, i) => toRaw(args[i], name, limit));
    } catch {
      return null;
    }
    const q = raws[0];
    const batched = q.shape.length === 3;
    if (!raws.every((r) => r.shape.length === q.shape.length) || q.shape.length < 2) return null;
    if (batched && !raws.every((r) => r.shape[0] === q.shape[0])) return null;
    const B = batched ? q.shape[0] : 1;
    const Q = q.shape[q.shape.length - 2];
    const K = raws[raws.length > 1 ? 1 : 0].shape[q.shape.length - 2];
    if (B * Q * K < MIN_SPLIT_PAIRS) return null;
    const rowsOk = spec.rows && !options.causal && !(method === 'multiHeadAttention' && options.trace);
    const n = this.#workers.length;
    // one piece per worker: more pieces, taken by whichever worker is free, were slower at (c) and
    // (d) of the bench (1.36-1.54x one thread with 4 per worker, 1.51-1.71x with one, measured
    // side by side): each piece costs a message, copies and an idle gap in its worker
    const batchParts = Math.min(B, n);
    const rowParts = rowsOk ? Math.max(1, Math.min(Math.ceil(n / batchParts), Math.floor(Q / ROW_ALIGN))) : 1;
    if (batchParts * rowParts < 2) return null;
    const batches = ranges(B, batchParts, 1);
    const rows = ranges(Q, rowParts, ROW_ALIGN);

    // the mask options, sliced with the rows they belong to
    const masks = {};
    try {
      if (options.validLens !== undefined && options.validLens !== null && typeof options.validLens !== 'number') {
        masks.validLens = toRaw(options.validLens, 'validLens', {
          dtype: Float64Array,
          scalar: true,
          maxElements: this.limits.maxElements,
        });
      }
      if (options.mask !== undefined && options.mask !== null) {
        masks.mask = toRaw(options.mask, 'mask', { booleans: true, maxElements: this.limits.maxElements });
      }
    } catch {
      return null;
    }
    // per mask: which of its axes is the batch axis and which the row axis (null: none)
    const axesOf = {};
    for (const [name, raw] of Object.entries(masks)) {
      const r = raw.shape.length;
      const rowsAxis = name === 'validLens' ? (batched ? (r === 2 ? 1 : null) : r === 1 ? 0 : null) : r - 2;
      const batchAxis = batched && (name === 'validLens' ? r >= 1 : r === 3) ? 0 : null;
      if ((name === 'validLens' && r > (batched ? 2 : 1)) || (name === 'mask' && (r < 2 || r > (batched ? 3 : 2)))) {
        return null;
      }
      axesOf[name] = { batchAxis, rowsAxis };
    }

    const pieces = [];
    for (const b of batches) {
      for (const r of rows) {
        const transfer = [];
        const cut = (raw, batchAxis, rowsAxis) => {
          const want = raw.shape.map(() => null);
          if (batchAxis !== null && (b[0] > 0 || b[1] < raw.shape[batchAxis])) want[batchAxis] = b;
          if (rowsAxis !== null && (r[0] > 0 || r[1] < raw.shape[rowsAxis])) want[rowsAxis] = r;
          if (want.every((w) => w === null)) return raw; // shared by every piece: cloned, not moved
          const out = slice(raw, want, (Type, n) => this.#array(Type, n));
          transfer.push(out.data.buffer);
          return out;
        };
        const rank = q.shape.length;
        const inputs = raws.map((raw, i) => cut(raw, batched ? 0 : null, i === 0 && rowsOk ? rank - 2 : null));
        const pieceOptions = { ...options };
        for (const [name, raw] of Object.entries(masks)) {
          const { batchAxis, rowsAxis } = axesOf[name];
          pieceOptions[name] = cut(raw, batchAxis, rowParts > 1 ? rowsAxis : null);
        }
        pieces.push({ args: [...inputs, pieceOptions], transfer, batch: b, rows: r, batched, rowsSplit: rowParts > 1 });
      }
    }
    return pieces;
  }
}

// A new task, without setTimeout's clamp: setTimeout(0) waits at least 1 ms in Node (4 ms once
// nested in browsers), while the pieces sent before it are already running: every piece after the
// first started that much later (measured: 3-4% of a pool call at (c) of the bench).
function nextTask() {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

function isStartFailure(e) {
  return e?.startFailure === true;
}

function infoOf(engine) {
  const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(engine)).filter((m) => m !== 'constructor');
  return { isa: engine.isa, simd: engine.simd, limits: { ...engine.limits }, methods };
}

function toError({ name, message }) {
  const e = new (ERRORS[name] ?? Error)(message);
  if (!(name in ERRORS) && name !== 'Error') e.name = name;
  return e;
}

// Structured clone turns a Tensor into { data, shape }: make it a Tensor again.
function revive(value) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (value.data instanceof Float32Array && Array.isArray(value.shape) && Object.keys(value).length === 2) {
    return new Tensor(value.data, value.shape);
  }
  if (Array.isArray(value)) return value.map(revive);
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = revive(v);
  return out;
}

// [start, end) ranges covering [0, n) in `parts` pieces, each start a multiple of `align`.
function ranges(n, parts, align) {
  const size = Math.ceil(n / parts / align) * align;
  const out = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)]);
  return out;
}

// The sub-tensor of raw with axis a cut to want[a] = [start, end) (null: whole), as a new array
// from allocate(Type, length).
function slice({ data, shape }, want, allocate) {
  const outShape = shape.map((d, a) => (want[a] ? want[a][1] - want[a][0] : d));
  const strides = stridesOf(shape);
  let inner = shape.length; // axes from `inner` on are whole: one contiguous run per outer index
  while (inner > 0 && want[inner - 1] === null) inner--;
  const run = inner === 0 ? data.length : strides[inner - 1];
  const out = allocate(
    data.constructor,
    outShape.reduce((a, b) => a * b, 1),
  );
  let at = 0;
  const walk = (axis, offset) => {
    if (axis === inner) {
      out.set(data.subarray(offset, offset + run), at);
      at += run;
      return;
    }
    const [s, e] = want[axis] ?? [0, shape[axis]];
    for (let i = s; i < e; i++) walk(axis + 1, offset + i * strides[axis]);
  };
  walk(0, 0);
  return { data: out, shape: outShape };
}

function stridesOf(shape) {
  const strides = new Array(shape.length);
  let s = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  return strides;
}

// The pieces' results joined into one result: each tensor's batch axis (0) and row axis
// (rank - 2) put back. Each piece is placed when it arrives (add), in any order.
class Joined {
  #pieces;
  #out = null;
  #tensors = null; // { path, data, strides, batchAxis, rowsAxis } per tensor of the result
  #placed = 0;
  #error = null; // what add() threw (an output too large to allocate), for result() to throw

  constructor(pieces) {
    this.#pieces = pieces;
  }

  add(result, piece) {
    try {
      this.#place(result, piece);
    } catch (e) {
      this.#error ??= e;
    }
  }

  #place(result, piece) {
    this.#out ??= this.#allocate(result);
    for (const { path, data, strides, batchAxis, rowsAxis } of this.#tensors) {
      const part = at(result, path);
      const offsets = part.shape.map(() => 0);
      if (batchAxis !== null) offsets[0] = piece.batch[0];
      if (rowsAxis !== null) offsets[rowsAxis] = piece.rows[0];
      place(data, strides, part, offsets);
    }
    this.#placed++;
  }

  result() {
    if (this.#error) throw this.#error;
    if (this.#placed !== this.#pieces.length) throw new Error('attention-playground pool: a piece was not joined');
    return this.#out;
  }

  // The result's objects, its tensors of the whole call's shape (from the first piece's).
  #allocate(first) {
    const out = structuredShape(first);
    const { batched, rowsSplit } = this.#pieces[0];
    const end = (key) => Math.max(...this.#pieces.map((p) => p[key][1]));
    this.#tensors = tensorPaths(first).map((path) => {
      const shape = [...at(first, path).shape];
      const rank = shape.length;
      const batchAxis = batched ? 0 : null;
      const rowsAxis = rowsSplit ? rank - 2 : null;
      if (batchAxis !== null) shape[0] = end('batch');
      if (rowsAxis !== null) shape[rowsAxis] = end('rows');
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      setAt(out, path, new Tensor(data, shape));
      return { path, data, strides: stridesOf(shape), batchAxis, rowsAxis };
    });
    return out;
  }
}

const at = (value, path) => path.reduce((v, k) => (v == null ? v : v[k]), value);

function place(data, strides, part, offsets) {
  const { shape } = part;
  const partStrides = stridesOf(shape);
  // from the last axis the piece does not fill on, it is one contiguous run per outer index
  let cut = shape.length - 1;
  while (cut > 0 && shape[cut] * partStrides[cut] === strides[cut - 1] && offsets[cut] === 0) cut--;
  const run = shape[cut] * partStrides[cut];
  const walk = (axis, from, to) => {
    if (axis === cut) {
      data.set(part.data.subarray(from, from + run), to + offsets[cut] * strides[cut]);
      return;
    }
    for (let i = 0; i < shape[axis]; i++) {
      walk(axis + 1, from + i * partStrides[axis], to + (i + offsets[axis]) * strides[axis]);
    }
  };
  walk(0, 0, 0);
}

// Where the tensors of a result are: paths such as ['output'], ['steps', 'weights'].
function tensorPaths(value, path = []) {
  if (value instanceof Tensor) return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => tensorPaths(v, [...path, k]));
}

// The result's objects without its tensors (filled in by join).
function structuredShape(value) {
  if (value instanceof Tensor || value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = structuredShape(v);
  return out;
}

function setAt(obj, path, value) {
  let o = obj;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]] = value;
}
