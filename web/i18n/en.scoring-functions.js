// The scoring-functions example's step texts: a part of the English catalogue that loads with its
// steps (scoring-functions-compute.js, through t.with; see index.js), not with every page.
export default {
  'scoring-functions.inputs': 'Queries, keys and the scoring parameters',
  'scoring-functions.difference': 'Difference: {a} − {b}',
};
