// Small matrices the tests build their calls on (the seed article's X and W are the self-attention
// example's own: web/components/examples/self-attention.js).

/** A small valid attention problem: two queries over three keys, values of width 1. */
export const q = [
    [1, 2],
    [3, 4],
  ],
  k = [
    [1, 0],
    [0, 1],
    [1, 1],
  ],
  v = [[1], [2], [3]];

/** The 2 × 2 identity: a projection that changes nothing. */
export const I2 = [
  [1, 0],
  [0, 1],
];
