// The scoring-functions example's step texts: a part of the Chinese catalogue that loads with its
// steps (scoring-functions-compute.js, through t.with; see index.js), not with every page.
export default {
  'scoring-functions.inputs': '查询、键和打分函数的参数',
  'scoring-functions.difference': '差值:{a} − {b}',
};
