// The multi-head example's step texts: a part of the Chinese catalogue that loads with its
// steps (multi-head-compute.js, through t.with; see index.js), not with every page.
export default {
  'multi-head.inputs': '输入与权重',
  'multi-head.split': { other: '分成 {count} 个头,每个头 {width} 列' },
  'multi-head.perHead': '每个头中的注意力',
  'multi-head.concat': '拼接各头',
  'multi-head.output': '输出线性变换',
};
