// The transformer-block example's step texts: a part of the Chinese catalogue that loads with its
// steps (transformer-block-compute.js, through t.with; see index.js), not with every page.
export default {
  'transformer-block.inputs': '输入词元',
  'transformer-block.inputs.note': '每个词元一行(已嵌入,并已加上位置编码)。',
  'transformer-block.inputs.hint': '编辑这里或下面权重中的任意单元格:每一步都会重新计算。',
  'transformer-block.normFirst': '先归一化:LN₁(X)',
  'transformer-block.addNorm1': '残差与层归一化:LN₁(X + 注意力)',
  'transformer-block.normFirst.note': '前置归一化对每个子层的输入做归一化,而残差路径保持不变。',
  'transformer-block.addNorm1.note': '残差相加保留了输入;层归一化把每一行缩放为均值 0、方差 1,再乘以 γ、加上 β。',
  'transformer-block.attentionParameters': '注意力参数',
  'transformer-block.split': { other: '分成 {count} 个头,每个头 {width} 列' },
  'transformer-block.heads': { other: '{count} 个头中各自的注意力' },
  'transformer-block.concat': '拼接各头并做线性变换',
  'transformer-block.residual1': '相加:第一个残差',
  'transformer-block.residual1.note': '注意力的输出加到块的输入上,而不是加到归一化后的输入上。',
  'transformer-block.norm2': '归一化:LN₂(R₁)',
  'transformer-block.feedForward': '前馈网络({activation}),每个词元都相同',
  'transformer-block.outputPre': '相加:块的输出',
  'transformer-block.outputPre.note': '前置归一化以残差相加结束:之后没有归一化(模型会在最后一个块之后再加一个)。',
  'transformer-block.outputPost': '残差与层归一化:块的输出',
};
