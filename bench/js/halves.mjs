// What a pool of 2 workers can reach on this machine at the moment of the run, for `npm run bench`
// to print beside the pool (web/lib/pool.js): two worker_threads, each holding its half of the
// call's inputs already in its own engine (the pool's split: heads, or query rows when there is
// one head), compute their halves at the same time, and their outputs are copied into one array.
// What the pool adds on top (slicing the inputs, sending them, the message round trips) is the
// difference between the two rows; what this row loses against one thread is the machine's own
// (two cores that slow each other, a core shared with another process). Node only.
//
// The same file is the worker: it loads the engine of the build it is told, keeps its half of
// q, k, v for each call prepared and computes it on every 'run' message.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

if (!isMainThread) {
  const { init } = await import('../../web/lib/index.js');
  let attn = null;
  const held = new Map(); // the inputs of each prepared call, by id
  parentPort.on('message', async (m) => {
    if (m.type === 'init') {
      attn = await init({ isa: m.isa });
      parentPort.postMessage('ready');
    } else if (m.type === 'prepare') {
      held.set(m.id, m.inputs);
      const out = attn.attention(...m.inputs, { weights: false }).output.data; // warm-up
      parentPort.postMessage(out.length);
    } else {
      const out = attn.attention(...held.get(m.id), { weights: false }).output.data;
      parentPort.postMessage(out, [out.buffer]);
    }
  });
}

/** Two workers computing the halves of the bench's call (q, k, v [H, N, d]), each on its own core. */
export async function halvesEngine({ isa }) {
  const workers = [0, 1].map(() => new Worker(new URL(import.meta.url)));
  const pending = [null, null];
  const dead = [null, null]; // why a worker stopped: its call and every later one fail with it
  workers.forEach((w, i) => {
    w.unref(); // an idle worker does not keep the bench running
    w.on('message', (m) => {
      w.unref();
      pending[i].resolve(m);
    });
    const fail = (e) => {
      dead[i] ??= e;
      pending[i]?.reject(dead[i]);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`bench: a halves worker exited (code ${code})`)));
  });
  const ask = (w, message) =>
    new Promise((resolve, reject) => {
      const i = workers.indexOf(w);
      if (dead[i]) return reject(dead[i]);
      pending[i] = { resolve, reject };
      w.ref();
      w.postMessage(message);
    });
  await Promise.all(workers.map((w) => ask(w, { type: 'init', isa })));
  let nextId = 0;
  return {
    async prepare({ H, N, d, q, k, v }) {
      // heads split in two; one head: query rows split in two, every key and value in both
      const halves =
        H >= 2
          ? [0, 1].map((i) => {
              const h = [(i * H) >> 1, ((i + 1) * H) >> 1];
              const cut = (x) => ({ data: x.slice(h[0] * N * d, h[1] * N * d), shape: [h[1] - h[0], N, d] });
              return [cut(q), cut(k), cut(v)];
            })
          : [0, 1].map((i) => {
              const rows = [(i * N) >> 1, ((i + 1) * N) >> 1];
              const Q = { data: q.slice(rows[0] * d, rows[1] * d), shape: [rows[1] - rows[0], d] };
              return [Q, { data: k, shape: [N, d] }, { data: v, shape: [N, d] }];
            });
      const id = nextId++;
      const sizes = await Promise.all(workers.map((w, i) => ask(w, { type: 'prepare', id, inputs: halves[i] })));
      return async () => {
        const parts = await Promise.all(workers.map((w) => ask(w, { type: 'run', id })));
        const out = new Float32Array(sizes[0] + sizes[1]);
        out.set(parts[0], 0);
        out.set(parts[1], sizes[0]);
        return out;
      };
    },
  };
}
