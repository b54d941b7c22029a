// Starts one worker of the pool: a module Web Worker in browsers, a worker_threads Worker in Node,
// both running the bundled pool-worker.js that pool-worker-url.js names (the classic bundle
// replaces this module with pool-spawn.classic.js).
import { startWebWorker, workerFile } from './pool-worker-url.js';
const isNode =
  typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

/**
 * A started worker behind one interface: { post(message, transfer), terminate(), hold(busy),
 * onmessage, onfailure(error) }, or null where this runtime cannot start one.
 */
export async function spawnWorker() {
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(workerFile());
    const handle = wrap(
      (m, t) => worker.postMessage(m, t),
      () => worker.terminate(),
    );
    // an idle pool does not keep Node running; a worker with a call to answer does
    handle.hold = (busy) => (busy ? worker.ref() : worker.unref());
    worker.on('message', (m) => handle.onmessage(m));
    worker.on('error', (e) => handle.onfailure(e));
    worker.on('exit', (code) => handle.onfailure(new Error(`the worker exited with code ${code}`)));
    return handle;
  }
  if (typeof Worker !== 'function') return null;
  const worker = startWebWorker();
  const handle = wrap(
    (m, t) => worker.postMessage(m, t),
    () => worker.terminate(),
  );
  worker.onmessage = (e) => handle.onmessage(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    handle.onfailure(new Error(e.message || 'the worker failed to load or threw'));
  };
  worker.onmessageerror = () => handle.onfailure(new Error('a message could not be read'));
  return handle;
}

function wrap(post, terminate) {
  return { post, terminate, hold() {}, onmessage() {}, onfailure() {} };
}
