// Run by security.test.mjs as `node --disallow-code-generation-from-strings
// --experimental-wasm-relaxed-simd locked-down.mjs`: every network entry point Node offers is
// replaced by one that records the attempt and throws, then the three builds of the engine load and
// run every public function. Prints one line of JSON for the parent.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const attempts = [];
const refuse = (what) =>
  function refused() {
    attempts.push(what);
    throw new Error(`network use: ${what}`);
  };
globalThis.fetch = refuse('fetch');
globalThis.WebSocket = refuse('WebSocket');
globalThis.XMLHttpRequest = refuse('XMLHttpRequest');
globalThis.EventSource = refuse('EventSource');
net.Socket.prototype.connect = refuse('net.Socket.connect');
net.connect = net.createConnection = refuse('net.connect');
tls.connect = refuse('tls.connect');
for (const [name, mod] of [
  ['http', http],
  ['https', https],
]) {
  mod.request = refuse(`${name}.request`);
  mod.get = refuse(`${name}.get`);
}
dns.lookup = refuse('dns.lookup');
dns.resolve = refuse('dns.resolve');

// the flag must really be in force, or the run proves nothing
const blocked = (f) => {
  try {
    f();
    return false;
  } catch {
    return true;
  }
};
const evalBlocked = blocked(() => eval('1')); // eslint-disable-line no-eval
const functionBlocked = blocked(() => new Function('return 1')); // eslint-disable-line no-new-func

const { init } = await import('attention-playground');
const { I2: q, k, v } = await import('../../support/matrices.mjs');
const { SEED_W, SEED_X } = await import('../../../web/components/examples/self-attention.js');
const errorName = (f) => {
  try {
    f();
    return null;
  } catch (e) {
    return e.constructor.name;
  }
};
const { readFileSync } = await import('node:fs');
const translator = new Uint8Array(readFileSync(new URL('../../../model/translator.safetensors', import.meta.url)));
const results = {};
for (const isa of ['relaxed-simd', 'simd128', 'scalar']) {
  const attn = await init({ isa });
  // loadModel fetches a module of its own: under the same lock
  const model = await attn.loadModel(translator);
  results[attn.isa] = {
    seed: attn.selfAttention(SEED_X, { wq: SEED_W, wk: SEED_W, wv: SEED_W }).weights.toArray(),
    softmax: attn.softmax([1, 2, 3]).toArray(),
    masked: attn.maskedSoftmax([[1, 2, 3]], [2]).toArray(),
    score: attn.score(q, k, { scoring: 'dot' }).toArray(),
    attention: attn.attention(q, k, v, { causal: true, fill: -Infinity }).output.toArray(),
    additive: attn.attention(q, k, v, { scoring: 'additive', wq: [[1], [1]], wk: [[1], [1]], v: [1] }).output.shape,
    multiHead: attn.multiHeadAttention(q, q, q, { numHeads: 2, wq: q, wk: q, wv: q, wo: q }).output.shape,
    positional: attn.positionalEncoding(4, 2).toArray()[1],
    applyMask: attn
      .applyMask(
        [
          [1, 2],
          [3, 4],
        ],
        { causal: true, fill: -Infinity },
      )
      .toArray(),
    steps: attn.softmaxSteps([[0, 0]]).weights.toArray(),
    random: attn.random([2, 3], { seed: 1 }).shape,
    subtract: attn.subtract([3, 5], [1, 2]).toArray(),
    add: attn.add([3, 5], [1, 2]).toArray(),
    scale: attn.scaleExperiment({ dims: [4, 16], keys: 4, samples: 8, seed: 1 }).variance.shape,
    refused: errorName(() => attn.attention(q, k, v, { temperature: 0 })),
    translation: model.greedy(model.encode('Tom chase Jerry')).tokens,
  };
  model.dispose();
}
process.stdout.write(`${JSON.stringify({ attempts, evalBlocked, functionBlocked, results })}\n`);
