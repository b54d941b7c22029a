// The why-scale example's step texts: a part of the English catalogue that loads with its
// steps (why-scale-compute.js, through t.with; see index.js), not with every page.
export default {
  'why-scale.variance': 'Variance of the scores',
  'why-scale.vs': 'vs',
  'why-scale.varianceAxis': 'variance',
  'why-scale.entropy': 'Entropy of the softmax (nats)',
  'why-scale.uniform': 'uniform over {n} keys:',
  'why-scale.entropyAxis': 'entropy',
  'why-scale.maxWeight': 'Largest weight in a row',
  'why-scale.maxWeightAxis': 'max weight',
  'why-scale.demo': 'One query over {keys} keys at d_k = {dk}',
  'why-scale.unscaled': 'unscaled',
  'why-scale.scaled': 'scaled',
  'why-scale.computing': 'Computing this experiment in a worker; shown meanwhile: the previous settings.',
};
