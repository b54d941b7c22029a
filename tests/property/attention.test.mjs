// attention() on random cases against the float64 oracle, in the SIMD128, relaxed-SIMD (fused
// multiply-add) and scalar builds, each SIMD build also against the scalar one: every
// scoring function, batched or not, validLens in each shape, 0/1 masks, causal, both kinds of fill,
// temperatures from 5e-324 to 1e300, values from subnormals to FLT_MAX, and the three modes.
import '../support/relaxed.mjs';
import { test } from 'node:test';
import { init } from 'attention-playground';
import * as o from '../support/oracle.mjs';
import {
  FLT_MIN,
  attentionCase,
  finite,
  outcome,
  prepareAttention,
  rowsSumToOne,
  splitmix,
  weightsWithin,
  within,
} from './cases.mjs';
import { check, replaying } from './harness.mjs';

const simd = await init({ isa: 'simd128' });
const scalar = await init({ isa: 'scalar' });
const relaxed = await init({ isa: 'relaxed-simd' });

/** Checks one build's result against the oracle. */
function verify(r, { perBatch, dims: { B, Q, K, dv } }, c, what) {
  finite(r.output.data, `${what} output`);
  const samples = c.mode === 'sample' ? splitmix(c.sampleSeed) : null;
  for (let b = 0; b < B; b++) {
    const { scores, logits, w, out, v, blocked } = perBatch[b];
    const at = b * Q * K,
      atOut = b * Q * dv;
    within(r.steps.scores.data, scores, `${what} scores[${b}]`, at);
    within(r.steps.logits.data, logits, `${what} logits[${b}]`, at);
    const probabilities = c.mode === 'soft' ? r.weights.data : r.steps.probabilities.data;
    weightsWithin(probabilities, w, `${what} weights[${b}]`, at);
    rowsSumToOne(probabilities.subarray(at, at + Q * K), K, (i) => blocked[i], `${what} weights[${b}]`);
    if (c.mode === 'soft') {
      // weights flushed below FLT_MIN (see weightsWithin) move an output by at most K · FLT_MIN · max|v|
      let vmax = 0;
      for (const x of v.data ?? v.val ?? v) vmax = Math.max(vmax, Math.abs(x));
      within(r.output.data, out, `${what} output[${b}]`, atOut, K * FLT_MIN * vmax);
    }
    for (let i = 0; i < Q; i++) {
      const row = r.weights.data.subarray(at + i * K, at + (i + 1) * K);
      const outRow = r.output.data.subarray(atOut + i * dv, atOut + (i + 1) * dv);
      if (blocked[i]) {
        // nothing to attend under a -inf fill: zero weights and a zero output, never NaN
        if (row.some((x) => x !== 0) || outRow.some((x) => x !== 0))
          throw new Error(`${what}: blocked row (${b}, ${i}) is not all zeros`);
        if (samples) samples(); // a draw is spent on every row
        continue;
      }
      if (c.mode === 'soft') continue;
      const ones = [...row.keys()].filter((j) => row[j] !== 0);
      if (ones.length !== 1 || row[ones[0]] !== 1)
        throw new Error(`${what}: ${c.mode} row (${b}, ${i}) is not one-hot: ${row}`);
      const pick = ones[0];
      const p = probabilities.subarray(at + i * K, at + (i + 1) * K);
      if (c.mode === 'argmax') {
        // the engine's first largest probability; the oracle's intervals must allow it to be a maximum
        const best = Math.max(...w.lo.subarray(i * K, (i + 1) * K));
        if (!(w.hi[i * K + pick] >= best))
          throw new Error(`${what}: argmax row (${b}, ${i}) picked ${pick}, which cannot be the largest`);
        if (p.findIndex((x) => x === Math.max(...p)) !== pick)
          throw new Error(`${what}: argmax row (${b}, ${i}) is not the first largest`);
      } else {
        // the inverse CDF of the engine's probabilities at the engine's draw, replayed here
        const u = samples();
        let total = 0;
        for (const x of p) total += x;
        let cumulative = 0,
          want = -1;
        for (let j = 0; j < K; j++) {
          if (p[j] === 0) continue;
          want = j;
          cumulative += p[j];
          if (u * total < cumulative) break;
        }
        if (pick !== want) throw new Error(`${what}: sample row (${b}, ${i}) drew ${pick}, the seed's draw is ${want}`);
      }
      // one-hot weights pass the value row through exactly
      for (let col = 0; col < dv; col++) {
        if (outRow[col] !== Math.fround(v[pick * dv + col]) && !(outRow[col] === 0 && v[pick * dv + col] === 0)) {
          throw new Error(`${what}: ${c.mode} output (${b}, ${i}) is not value row ${pick}`);
        }
      }
    }
  }
}

/** The two builds agree with each other within the sum of their bounds (each is within its own). */
function agree(a, b, { perBatch, dims: { Q, K, dv } }, mode) {
  perBatch.forEach(({ scores, w, out, v }, batch) => {
    for (let i = 0; i < Q * K; i++) {
      const x = a.steps.scores.data[batch * Q * K + i],
        y = b.steps.scores.data[batch * Q * K + i];
      if (!(Math.abs(x - y) <= 2 * scores.err[i] + o.REL64 * Math.abs(scores.val[i]))) {
        throw new Error(`SIMD and scalar scores differ at ${i}: ${x} vs ${y}`);
      }
      if (mode === 'soft') {
        const p = a.weights.data[batch * Q * K + i],
          q = b.weights.data[batch * Q * K + i];
        // the same contract as weightsWithin: below 2^-126 the SIMD exp may flush to 0
        const subnormal = w.val[i] < 2 ** -126 && Math.max(p, q) <= 2 ** -126;
        if (!subnormal && !(Math.abs(p - q) <= w.hi[i] - w.lo[i]))
          throw new Error(`SIMD and scalar weights differ at ${i}: ${p} vs ${q}`);
      }
    }
    if (mode !== 'soft') return;
    let vmax = 0; // the FLT_MIN contract of weightsWithin, carried through weights · V
    for (const x of v) vmax = Math.max(vmax, Math.abs(x));
    for (let i = 0; i < Q * dv; i++) {
      const x = a.output.data[batch * Q * dv + i],
        y = b.output.data[batch * Q * dv + i];
      if (!(Math.abs(x - y) <= 2 * out.err[i] + o.REL64 * Math.abs(out.val[i]) + K * FLT_MIN * vmax)) {
        throw new Error(`SIMD and scalar outputs differ at ${i}: ${x} vs ${y}`);
      }
    }
  });
}

test('attention matches the float64 oracle in every build, or refuses only a real float32 overflow', (t) => {
  const seen = { overflow: 0, blockedRows: 0, argmax: 0, sample: 0, largestAxis: 0 };
  check(
    t,
    'attention',
    attentionCase,
    (c) => {
      const p = prepareAttention(c);
      const results = [
        ['simd', simd],
        ['scalar', scalar],
        ['relaxed', relaxed],
      ].map(([name, attn]) => {
        const r = outcome(() => attn.attention(...p.args), p.ov, name);
        if (r) verify(r, p, c, name);
        return r;
      });
      if (!results[0]) seen.overflow++;
      seen.blockedRows += p.perBatch.reduce((a, { blocked }) => a + blocked.filter(Boolean).length, 0);
      if (c.mode !== 'soft') seen[c.mode]++;
      seen.largestAxis = Math.max(seen.largestAxis, ...Object.values(c.dims));
      if (results[0] && results[1]) agree(results[0], results[1], p, c.mode);
      if (results[2] && results[1]) agree(results[2], results[1], p, c.mode);
      // the same seed draws the same keys
      if (c.mode === 'sample' && results[0]) {
        const again = simd.attention(...p.args);
        if (again.weights.data.some((x, i) => x !== results[0].weights.data[i]))
          throw new Error('sample: same seed, different draw');
      }
    },
    { numRuns: 3000 },
  );
  // what the cases covered (so a generator change that stops reaching these shows up)
  t.diagnostic(
    `refused as float32 overflow (confirmed by the reference): ${seen.overflow}; rows with nothing to ` +
      `attend: ${seen.blockedRows}; argmax: ${seen.argmax}; sample: ${seen.sample}; largest axis: ${seen.largestAxis}`,
  );
  if (
    !replaying('attention') &&
    !(seen.overflow > 0 && seen.blockedRows > 0 && seen.argmax > 0 && seen.sample > 0 && seen.largestAxis === 64)
  ) {
    throw new Error(`the cases missed a region: ${JSON.stringify(seen)}`);
  }
});

test('score() equals the scores attention() traces, in every build', (t) => {
  check(
    t,
    'score',
    attentionCase.filter((c) => c.mode === 'soft'),
    (c) => {
      const p = prepareAttention(c);
      const [q, k, v, options] = p.args;
      const scoreOptions = Object.fromEntries(
        ['scoring', 'wq', 'wk', 'v', 'w'].filter((n) => n in options).map((n) => [n, options[n]]),
      );
      for (const attn of [simd, scalar, relaxed]) {
        let s = null,
          traced = null;
        try {
          s = attn.score(q, k, scoreOptions);
        } catch (e) {
          if (!/overflowed float32/.test(e.message)) throw e;
        }
        try {
          traced = attn.attention(q, k, v, { ...scoreOptions, trace: true }).steps.scores;
        } catch (e) {
          if (!/overflowed float32/.test(e.message)) throw e;
        }
        if ((s === null) !== (traced === null)) {
          // attention may also overflow later (its output): only a score() refusal must be mirrored
          if (s === null) throw new Error('score() refused what attention() scored');
          continue;
        }
        if (s && s.data.some((x, i) => !Object.is(x, traced.data[i])))
          throw new Error(`score() differs from the traced scores (${attn.isa})`);
      }
    },
    { numRuns: 500 },
  );
});
