// The masked-softmax example's step texts: a part of the Chinese catalogue that loads with its
// steps (masked-softmax-compute.js, through t.with; see index.js), not with every page.
export default {
  'masked-softmax.row': '第 {n} 行',
  'masked-softmax.batch': '批次 {n}',
  'masked-softmax.inputs': '注意力分数与有效长度',
  'masked-softmax.inputs.note': '这里的有效长度按行给出:[2, 3] 等同于 [[2, 2], [3, 3]]。',
  'masked-softmax.inputs.hint': '把某个长度设为 0,可以看到整行都被掩码遮蔽。',
  'masked-softmax.lensLabel': '有效长度',
  'masked-softmax.lensTex': '长度',
  'masked-softmax.if': '若',
  'masked-softmax.else': '否则',
  'masked-softmax.fill': '填充值 = {fill}',
  'masked-softmax.inf.note': '被遮蔽的权重恰好为 0;有效长度为 0 的行全为零,而不会是 NaN。',
  'masked-softmax.1e6.note': 'd2l 的选择:被遮蔽的权重为 e^(−10⁶ − m) ≈ 0;有效长度为 0 的行是均匀分布(每个 1/5)。',
};
