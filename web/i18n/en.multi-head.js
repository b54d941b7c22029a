// The multi-head example's step texts: a part of the English catalogue that loads with its
// steps (multi-head-compute.js, through t.with; see index.js), not with every page.
export default {
  'multi-head.inputs': 'Input and weights',
  'multi-head.split': {
    one: 'Split into {count} head of {width} columns',
    other: 'Split into {count} heads of {width} columns',
  },
  'multi-head.perHead': 'Attention in each head',
  'multi-head.concat': 'Concatenate the heads',
  'multi-head.output': 'Output projection',
};
