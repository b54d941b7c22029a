// The translation-alignment example's step texts: a part of the Chinese catalogue that loads with its
// steps (translation-alignment-compute.js, through t.with; see index.js), not with every page.
export default {
  'translation-alignment.inputs': '编码器状态与解码器查询',
  'translation-alignment.encoder': '编码器',
  'translation-alignment.decoderStates': '解码器状态',
  'translation-alignment.inputs.note': '每个词一行。值就是编码器状态本身。',
  'translation-alignment.alignment': '对齐:谁关注谁',
  'translation-alignment.target': '文章中“{token}”的注意力权重',
  'translation-alignment.target.note':
    '目标、当前这一行,以及“当前 − 目标”。能精确重现目标的注意力分数是 log(0.3)、log(0.2)、log(0.5) 加上任意常数。',
  'translation-alignment.target.hint': '编辑上面最后一个词的查询(或目标)。',
  'translation-alignment.targetLabel': '目标',
  'translation-alignment.current': '当前',
};
