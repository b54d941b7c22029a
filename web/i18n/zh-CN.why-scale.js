// The why-scale example's step texts: a part of the Chinese catalogue that loads with its
// steps (why-scale-compute.js, through t.with; see index.js), not with every page.
export default {
  'why-scale.variance': '注意力分数的方差',
  'why-scale.vs': '对比',
  'why-scale.varianceAxis': '方差',
  'why-scale.entropy': 'softmax 的熵(奈特)',
  'why-scale.uniform': '在 {n} 个键上均匀分布:',
  'why-scale.entropyAxis': '熵',
  'why-scale.maxWeight': '一行中最大的权重',
  'why-scale.maxWeightAxis': '最大权重',
  'why-scale.demo': 'd_k = {dk} 时一个查询对 {keys} 个键的注意力',
  'why-scale.unscaled': '未缩放',
  'why-scale.scaled': '已缩放',
  'why-scale.computing': '正在后台线程中计算这次实验;此前的设置的结果暂时显示在这里。',
};
