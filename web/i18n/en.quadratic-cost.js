// The quadratic-cost example's step texts: a part of the English catalogue that loads with its
// steps (quadratic-cost-compute.js, through t.with; see index.js), not with every page.
export default {
  'quadratic-cost.costTitle': 'Time against N: materialised (weights: true) and streaming (weights: false)',
  'quadratic-cost.multiplyAdds': 'multiply-adds',
  'quadratic-cost.memoryTitle': 'WASM memory against N',
  'quadratic-cost.weightsTitle.mean': 'The weights [{n}, {n}], mean of each block',
  'quadratic-cost.weightsTitle.max': 'The weights [{n}, {n}], max of each block',
  'quadratic-cost.materialised': 'materialised',
  'quadratic-cost.streaming': 'streaming',
  'quadratic-cost.msAxis': 'time (ms)',
  'quadratic-cost.bytesAxis': 'WASM memory held (bytes)',
  'quadratic-cost.measuring': {
    one: 'Measuring N = {n} in {count} worker…',
    other: 'Measuring N = {n} in {count} workers…',
  },
  'quadratic-cost.measuringHere': 'Measuring N = {n} on this thread…',
  'quadratic-cost.measured': {
    one: 'Measured by the engine in {count} worker, d = {d}; times are wall-clock (the best of up to seven under 50 ms) and include moving the tensors.',
    other:
      'Measured by the engine in {count} workers (the pool splits each call by query rows), d = {d}; times are wall-clock (the best of up to seven under 50 ms) and include moving the tensors.',
  },
  'quadratic-cost.measuredHere':
    'Measured by the engine on this thread, d = {d}; times are wall-clock (the best of up to seven under 50 ms).',
  'quadratic-cost.costNote':
    'Attention compares every query with every key, so doubling N quadruples the work: on log axes both times run parallel to the N² guide once the calls are large. {rows}.',
  'quadratic-cost.costRow': 'N = {n}: materialised {material}, streaming {stream}',
  'quadratic-cost.memoryNote':
    'The materialised call holds the [N, N] weights, so its memory grows with N² too; the streaming kernel keeps only a running max and sum per query row, so its memory follows the N guide. {rows}.',
  'quadratic-cost.memoryRow': 'N = {n}: {material} against {stream}',
  'quadratic-cost.refusal':
    'From N = {n} on, the engine refuses to build the [N, N] weights with a RangeError: no tensor may hold more than {limit} elements.',
  'quadratic-cost.refused': 'refused',
  'quadratic-cost.ms': '{x} ms',
  'quadratic-cost.mib': '{x} MiB',
  'quadratic-cost.weightsNote':
    'Each pixel is a block of query rows × keys reduced in WASM (attn.downsample); hover a pixel for its rows and keys.',
  'quadratic-cost.weightsShown': 'At N = {n} the weights cannot be built (see above); shown: N = {shown}.',
  'quadratic-cost.notYet': 'The first measurement is on its way.',
};
