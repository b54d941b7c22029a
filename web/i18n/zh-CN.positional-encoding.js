// The positional-encoding example's step texts: a part of the Chinese catalogue that loads with its
// steps (positional-encoding-compute.js, through t.with; see index.js), not with every page.
export default {
  'positional-encoding.same': '两个位置相同:请选择两个不同的词元来交换。',
  'positional-encoding.inputs': '词元嵌入与线性变换',
  'positional-encoding.inputs.note': '每个词元对应 X 的一行:这个词的嵌入,无论词出现在哪个位置都相同。',
  'positional-encoding.inputs.hint': '编辑任意单元格,或在“词元”中输入另一个句子。',
  'positional-encoding.encoding': '每个位置的正弦位置编码',
  'positional-encoding.encoding.note':
    '每两列是位置在某一频率下的正弦和余弦,频率从每 2π 个位置一个周期,降到每 10000 · 2π 个位置一个周期:每个位置都有自己的模式,而 P_{p+k} 是 P_p 的一个旋转。',
  'positional-encoding.sum': '嵌入加上位置编码',
  'positional-encoding.sum.note': '位置编码是相加,而不是拼接:模型看到的是每个词元一个同时携带两者的向量。',
  'positional-encoding.without': '没有位置编码:交换 {a} 和 {b}',
  'positional-encoding.without.note':
    '{same}交换后的句子得到同样的注意力权重,只是行和列交换了:按原来的顺序放回后,差值 Δ 为零(在 float32 舍入误差之内)。仅靠注意力无法区分这两个句子。',
  'positional-encoding.with.title': '有位置编码:交换 {a} 和 {b}',
  'positional-encoding.with.note':
    "{same}词移动了,但位置不动:每个被交换的词现在带着另一个位置的编码(是 X' + P,而不是把 X + P 的行交换),所以注意力权重改变了,Δ_P 不为零。",
  'positional-encoding.position': '位置 {p}',
};
