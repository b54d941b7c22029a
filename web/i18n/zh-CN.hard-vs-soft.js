// The hard-vs-soft example's step texts: a part of the Chinese catalogue that loads with its
// steps (hard-vs-soft-compute.js, through t.with; see index.js), not with every page.
export default {
  'hard-vs-soft.logits': '对数几率:分数除以温度',
  'hard-vs-soft.logits.note': 'S = QKᵀ(点积分数)除以温度 T = {t}。下面每种方式都从这里开始。',
  'hard-vs-soft.soft': '软注意力',
  'hard-vs-soft.soft.note': '这些软注意力权重就是 P = softmax(L),下面的硬注意力从中选取。',
  'hard-vs-soft.argmax': '硬注意力:argmax',
  'hard-vs-soft.argmax.note': '在最大的权重处取 one-hot(并列时取第一个)。输出就是那一行值。',
  'hard-vs-soft.sample': '硬注意力:采样(随机种子 {seed})',
  'hard-vs-soft.sample.note': '每一行按软注意力权重抽样一次。',
  'hard-vs-soft.sample.hint': '改变随机种子,得到另一次抽样。',
};
