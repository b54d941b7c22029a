// attn.loadModel(): the shipped translator and random torch.nn.Transformer models against PyTorch
// (tests/fixtures/model.json, made by tests/fixtures/make_model_fixtures.py; torch never runs here),
// in both builds: logits within 2e-4 of their scale, every head's attention weights within 3e-5,
// the same greedy decoding; then the API's refusals and malformed files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { init } from 'attention-playground';
import { root } from '../../scripts/run.mjs';

const fixtures = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/model.json'), 'utf8'));
const { tolerance } = fixtures;
const bytes = (file) => new Uint8Array(readFileSync(path.join(root, file)));
const translatorBytes = bytes('model/translator.safetensors');

const builds = [
  ['simd', await init()],
  ['scalar', await init({ simd: false })],
];

// |got - want| <= tol · scale for every element, scale = max |want| (1 when `absolute`)
function close(got, want, tol, where, { absolute = false } = {}) {
  assert.deepEqual(got.shape, want.shape, `${where}: shape`);
  let scale = 1;
  if (!absolute) scale = Math.max(...want.data.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want.data[i]));
  assert.ok(worst <= tol * scale, `${where}: max |Δ| ${worst} > ${tol} × ${scale}`);
  return worst / scale;
}

for (const [build, attn] of builds) {
  for (const fixture of fixtures.models) {
    test(`${build}: ${fixture.name} agrees with PyTorch`, async () => {
      const model = await attn.loadModel(bytes(fixture.file));
      try {
        for (const [n, c] of fixture.cases.entries()) {
          const where = `case ${n} (src ${c.src})`;
          const r = model.forward(c.src, c.tgt, { trace: true });
          close(r.logits, c.logits, tolerance.logits, `${where}: logits`);
          for (const kind of ['encoder', 'decoder', 'cross']) {
            assert.equal(r.attention[kind].length, c.attention[kind].length, `${where}: ${kind} layers`);
            c.attention[kind].forEach((w, l) =>
              close(r.attention[kind][l], w, tolerance.attention, `${where}: ${kind} ${l}`, { absolute: true }),
            );
          }
          const t = r.trace;
          close(t.source.input, c.trace.sourceInput, 1e-6, `${where}: source input`);
          close(t.encoder[0].selfAttention.q, c.trace.encoder0Q, 1e-5, `${where}: encoder 0 q`);
          // every layer's intermediates (the page's block steps show them), against the module's own
          c.trace.encoderOutputs.forEach((want, l) => {
            close(t.encoder[l].output, want, 1e-5, `${where}: encoder ${l} output`);
            if (l > 0) close(t.encoder[l].input, c.trace.encoderOutputs[l - 1], 1e-5, `${where}: encoder ${l} input`);
          });
          assert.equal(t.decoder.length, c.trace.decoderLayers.length);
          c.trace.decoderLayers.forEach((layer, l) => {
            for (const [name, want] of Object.entries(layer))
              close(t.decoder[l][name], want, 1e-5, `${where}: decoder ${l} ${name}`);
          });
          close(t.memory, c.trace.memory, 1e-5, `${where}: memory`);
          close(t.output, c.trace.output, 1e-5, `${where}: decoder output`);
          close(t.probabilities, c.trace.probabilities, tolerance.attention, `${where}: probabilities`, {
            absolute: true,
          });
          // the plain call (whose attention streams through the flash kernel) gives the traced
          // call's numbers to float32 rounding
          const plain = model.forward(c.src, c.tgt);
          assert.equal(plain.trace, undefined);
          close(plain.logits, c.logits, tolerance.logits, `${where}: logits without trace`);
          close(plain.logits, r.logits, 1e-5, `${where}: logits with and without trace`);
        }
        for (const g of fixture.greedy) {
          const r = model.greedy(g.src, { maxLength: g.maxLength });
          assert.deepEqual(r.ids, g.ids, `greedy on ${g.src}`);
          assert.equal(r.steps.length, r.ids.length - 1);
          r.steps.forEach((s, i) => {
            assert.equal(s.id, r.ids[i + 1]);
            assert.equal(s.top[0], s.id);
            assert.ok(
              s.probabilities.every((p, j) => j === 0 || p <= s.probabilities[j - 1]),
              'top sorted',
            );
          });
        }
      } finally {
        model.dispose();
      }
    });
  }
}

const [, attn] = builds[0];

test('the shipped translator translates the articles’ sentence, with the steps of its decoding', async () => {
  const model = await attn.loadModel(translatorBytes);
  const src = model.encode('Tom chase Jerry');
  assert.deepEqual(model.decode(src, { source: true }), ['Tom', 'chase', 'Jerry']);
  const r = model.greedy(src);
  assert.deepEqual(r.tokens, ['<bos>', '汤姆', '追逐', '杰瑞', '<eos>']);
  assert.deepEqual(model.decode(r.ids), r.tokens);
  assert.equal(r.steps.length, 4);
  for (const s of r.steps) {
    assert.equal(s.top.length, 5);
    assert.equal(s.tokens[0], s.token);
    assert.ok(s.probabilities[0] > 0.5 && s.probabilities[0] <= 1);
  }
  // the trace: every layer, its shapes, and the names the page reads
  const { config } = model;
  const S = 3,
    T = 4,
    D = config.d_model,
    H = config.nhead,
    Vt = config.tgt_vocab.length;
  const f = model.forward(src, r.ids.slice(0, T), { trace: true });
  assert.deepEqual(f.logits.shape, [T, Vt]);
  assert.deepEqual(f.trace.source.embedding.shape, [S, D]);
  assert.deepEqual(f.trace.target.positions.shape, [T, D]);
  assert.equal(f.trace.encoder.length, config.num_encoder_layers);
  assert.equal(f.trace.decoder.length, config.num_decoder_layers);
  const e = f.trace.encoder[0];
  assert.deepEqual(e.selfAttention.q.shape, [H, S, D / H]);
  assert.deepEqual(e.selfAttention.scores.shape, [H, S, S]);
  assert.deepEqual(e.hidden.shape, [S, config.dim_feedforward]);
  const d = f.trace.decoder[1];
  assert.deepEqual(d.crossAttention.k.shape, [H, S, D / H]);
  assert.deepEqual(d.crossAttention.weights.shape, [H, T, S]);
  assert.deepEqual(d.selfAttention.logits.shape, [H, T, T]);
  assert.equal(d.selfAttention.logits.data[1], -Infinity, 'the causal mask blocks the second key of row 0');
  assert.deepEqual(d.residual3.shape, [T, D]);
  assert.equal(e.output.data.length, S * D, 'the trace keeps each layer’s output');
  assert.deepEqual(f.trace.encoder[1].input.data, e.output.data, 'layer 1 reads layer 0');
  // cross-attention weights are rows of a softmax
  const w = f.attention.cross[0];
  for (let row = 0; row < H * T; row++) {
    const sum = w.data.slice(row * S, row * S + S).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5);
  }
  model.dispose();
  assert.throws(() => model.forward(src, [1]), { name: 'TypeError', message: /disposed/ });
});

test('bad arguments are TypeError / RangeError naming them; the model stays usable', async () => {
  const model = await attn.loadModel(translatorBytes);
  const V = model.config.src_vocab.length;
  assert.throws(() => model.encode('Tom chsae Garfield and Odie'), {
    name: 'RangeError',
    message:
      /unknown words 'chsae' \(nearest: 'chase'\), 'Garfield' \(nearest: '[^']+'\), 'and' \(nearest: '[^']+'\), 'Odie' \(nearest: '[^']+'\)/,
  });
  assert.deepEqual(model.nearest('Jery', { count: 1 }), ['Jerry']);
  assert.deepEqual(model.nearest('tom', { count: 2 }), ['Tom', 'Bob']); // Bob: 2 edits, the lower id of those at 2
  assert.deepEqual(model.nearest('Tom', { count: 0 }), []);
  assert.throws(() => model.nearest(3), { name: 'TypeError', message: /nearest: word must be a string/ });
  assert.throws(() => model.encode(42), { name: 'TypeError', message: /encode: words/ });
  assert.throws(() => model.forward([1, V], [1]), { name: 'RangeError', message: new RegExp(`srcIds\\[1\\] = ${V}`) });
  assert.throws(() => model.forward([1.5], [1]), { name: 'RangeError', message: /srcIds\[0\] = 1.5/ });
  assert.throws(() => model.forward([1], [1000]), { name: 'RangeError', message: /tgtIds\[0\] = 1000/ });
  assert.throws(() => model.forward([0, 0], [1]), { name: 'RangeError', message: /every token is pad/ });
  assert.throws(() => model.forward([], [1]), { name: 'RangeError', message: /srcIds: empty/ });
  assert.throws(() => model.forward([1], []), { name: 'RangeError', message: /tgtIds: empty/ });
  assert.throws(() => model.forward('Tom', [1]), { name: 'TypeError', message: /srcIds must be an array/ });
  assert.throws(() => model.forward([1], [1], { trase: true }), {
    name: 'TypeError',
    message: /unknown option 'trase'/,
  });
  assert.throws(() => model.greedy([1], { maxLength: 0 }), { name: 'RangeError', message: /maxLength/ });
  assert.throws(() => model.greedy([1], { maxLength: 5000 }), { name: 'RangeError', message: /maxLength/ });
  assert.throws(() => model.decode([1, -1]), { name: 'RangeError', message: /ids\[1\] = -1/ });
  assert.deepEqual(model.greedy(model.encode('Tom chase Jerry')).tokens.slice(1, -1), ['汤姆', '追逐', '杰瑞']);
  model.dispose();
});

// --- malformed files ------------------------------------------------------------------------------

// The shipped file's parts: header JSON and data, to rebuild with one thing broken.
function parts(file) {
  const view = new DataView(file.buffer, file.byteOffset);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n)));
  return { header, data: file.subarray(8 + n) };
}
function assemble(header, data) {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}
function withConfig(change) {
  const { header, data } = parts(translatorBytes);
  const config = JSON.parse(header.__metadata__.config);
  change(config);
  header.__metadata__.config = JSON.stringify(config);
  return assemble(header, data);
}
function withHeader(change) {
  const { header, data } = parts(translatorBytes);
  change(header);
  return assemble(header, data);
}
const layer0 = 'transformer.encoder.layers.0.self_attn.in_proj_weight';

const MALFORMED = [
  ['not bytes', 'model.safetensors', 'TypeError', /loadModel: expected the bytes/],
  ['empty', new Uint8Array(0), 'RangeError', /0 bytes, too short/],
  ['truncated header length', translatorBytes.subarray(0, 5), 'RangeError', /too short/],
  ['header length past the end', translatorBytes.subarray(0, 100), 'RangeError', /runs past the end of the file/],
  ['truncated data', translatorBytes.subarray(0, translatorBytes.length - 10), 'RangeError', /run past the data/],
  ['header not JSON', assemble('{"a": [1, 2', new Uint8Array(0)), 'TypeError', /header is not JSON: .* at byte/],
  ['header not an object', assemble('[1, 2]', new Uint8Array(0)), 'TypeError', /header is an array/],
  [
    'offsets past the data',
    withHeader((h) => (h[layer0].data_offsets = [0, 1e9])),
    'RangeError',
    new RegExp(`'${layer0}': data_offsets \\[0, 1000000000\\] run past the data`),
  ],
  [
    'shape disagreeing with its bytes',
    withHeader((h) => (h['generator.bias'].shape = [3])),
    'RangeError',
    /'generator.bias': shape \[3\] of F32 needs 12 bytes/,
  ],
  [
    'unknown dtype',
    withHeader((h) => (h['generator.bias'].dtype = 'BF16')),
    'TypeError',
    /dtype 'BF16' is not supported/,
  ],
  ['missing tensor', withHeader((h) => delete h[layer0]), 'TypeError', new RegExp(`'${layer0}' is missing`)],
  [
    'wrong shape for the config',
    withConfig((c) => (c.d_model = 16)),
    'RangeError',
    /'src_embed.weight' has shape \[\d+, 32\], expected \[\d+, 16\]/,
  ],
  ['missing config', withHeader((h) => delete h.__metadata__), 'TypeError', /__metadata__.config is missing/],
  ['config not JSON', withHeader((h) => (h.__metadata__.config = '{d_model: 32}')), 'TypeError', /config is not JSON/],
  ['missing config field', withConfig((c) => delete c.nhead), 'TypeError', /'nhead' is missing/],
  [
    'nhead not dividing d_model',
    withConfig((c) => (c.nhead = 3)),
    'RangeError',
    /nhead = 3 does not divide d_model = 32/,
  ],
  [
    'too many layers',
    withConfig((c) => (c.num_encoder_layers = 1000)),
    'RangeError',
    /'num_encoder_layers' = 1000 is outside/,
  ],
  ['too wide', withConfig((c) => (c.d_model = 1 << 20)), 'RangeError', /'d_model' = 1048576 is outside/],
  [
    'unknown activation',
    withConfig((c) => (c.activation = 'swish')),
    'TypeError',
    /'activation' must be 'relu' or 'gelu'/,
  ],
  ['bos outside the vocabulary', withConfig((c) => (c.bos = 999)), 'RangeError', /'bos' = 999 is outside/],
  [
    'a weight that is NaN',
    (() => {
      const file = translatorBytes.slice();
      const { header } = parts(file);
      const n = file.length - parts(file).data.length;
      new DataView(file.buffer).setFloat32(n + header['generator.bias'].data_offsets[0], NaN, true);
      return file;
    })(),
    'RangeError',
    /generator.bias: element \[0\] is NaN/,
  ],
];

test('malformed files are TypeError / RangeError naming what is wrong; the engine stays usable', async () => {
  const good = await attn.loadModel(translatorBytes);
  for (const [what, file, name, message] of MALFORMED) {
    await assert.rejects(attn.loadModel(file), { name, message }, what);
  }
  // everything still works: the model loaded before, a new one, and the main engine
  assert.deepEqual(good.greedy(good.encode('Tom chase Jerry')).tokens.slice(1, -1), ['汤姆', '追逐', '杰瑞']);
  const again = await attn.loadModel(translatorBytes.buffer.slice(0));
  assert.equal(again.config.d_model, good.config.d_model);
  assert.deepEqual(attn.softmax([[0, 0]]).toArray(), [[0.5, 0.5]]);
  again.dispose();
  good.dispose();
});

test('F16 files load (widened to float32) and give the F32 file’s translation', async () => {
  // the shipped weights rounded to half precision: the same words come out
  const { header, data } = parts(translatorBytes);
  const half = [];
  let offset = 0;
  const out = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      out[name] = entry;
      continue;
    }
    const [begin, end] = entry.data_offsets;
    const floats = new Float32Array(data.slice(begin, end).buffer);
    const h = new Uint16Array(floats.length);
    floats.forEach((x, i) => (h[i] = toHalf(x)));
    half.push(new Uint8Array(h.buffer));
    out[name] = { dtype: 'F16', shape: entry.shape, data_offsets: [offset, offset + h.byteLength] };
    offset += h.byteLength;
  }
  const blob = new Uint8Array(offset);
  let at = 0;
  for (const b of half) {
    blob.set(b, at);
    at += b.length;
  }
  const model = await attn.loadModel(assemble(out, blob));
  assert.deepEqual(model.greedy(model.encode('Tom chased Jerry yesterday')).tokens.slice(1, -1), [
    '汤姆',
    '昨天',
    '追逐',
    '了',
    '杰瑞',
  ]);
  model.dispose();
});

// float32 -> IEEE half, round to nearest even (normal range; the weights are small)
function toHalf(x) {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  let mant = u & 0x7fffff;
  if (exp <= 0) return sign; // flushes the tiny ones to zero
  let h = sign | (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
  return h;
}

test('dist/ ships the trained translator and the model module beside the elements', () => {
  assert.deepEqual(bytes('dist/models/translator.safetensors'), translatorBytes);
  for (const build of ['simd', 'scalar']) {
    assert.ok(bytes(`dist/wasm/attention_model_${build}.wasm`).length > 0, `dist/wasm/attention_model_${build}.wasm`);
  }
});
