// 示例教程(web/examples/tutorial.template.html)的中文文本:scripts/pages.mjs 用它们写出
// examples/tutorial.zh-CN.html。
export default {
  'tutorial.docTitle': '注意力机制,五个实时图示 · 示例教程',
  'tutorial.title': '注意力机制,五个实时图示',
  'tutorial.byline': `一个用 attention-playground 的元素搭建的示例教程页面。每个图示都是实时的:
      数字由 WebAssembly 引擎在你的浏览器中离线计算。`,
  'tutorial.who.title': '1. 谁关注谁',
  'tutorial.who.text': `翻译模型在写出“杰瑞”时,会回头看英文句子,并为每个词赋予一个权重。本教程所依据的文章给出的
      注意力权重是 Tom 0.3、chase 0.2、Jerry 0.5。热图让人一眼看清这些权重:每一行是正在生成的一个词,
      每一列是被读取的一个词。`,
  'tutorial.who.label': 'Tom chase Jerry 对齐',
  'tutorial.every.title': '2. 一个示例的每一个数字',
  'tutorial.every.text': `自注意力把每个词元变成一个查询、一个键和一个值,用每个查询给每个键打分,用 softmax 把每一行
      注意力分数变成注意力权重,再对值加权求和。下面是经典的三词元示例,列出了每一个中间矩阵。
      (这个被广泛转载的版本在第一次乘法就出错了:X = I₃ 时,X·W 就是 W 本身。)`,
  'tutorial.own.title': '3. 你自己的输入',
  'tutorial.own.text': `任意的查询、键和值都可以作为数据写进页面:为你正在讨论的情形专门画一个图示。这个图示用因果
      掩码遮蔽了未来的键。`,
  'tutorial.own.figure': '两个查询对三个键,因果掩码',
  'tutorial.own.I': '我',
  'tutorial.own.saw': '看见',
  'tutorial.own.it': '它',
  'tutorial.try.title': '4. 动手试试:因果掩码与温度',
  'tutorial.try.text': `拖动温度:温度高时注意力权重趋于均匀,温度低时则集中到分数最大的那个键上。关掉掩码,
      就能让每个词元看到未来。`,
  'tutorial.scale.title': '5. 为什么要除以 √d<sub>k</sub>',
  'tutorial.scale.text': `随机向量的点积随长度增大而增大。如果不缩放,随着 d<sub>k</sub> 增大,softmax 会饱和在单个键上;
      缩放之后,分布的宽度保持不变。`,
  'tutorial.madeWith': '用 <a href="../docs/embedding.zh-CN.html">attention-playground 的元素</a>制作。',
};
