// 嵌入文档(web/docs/embedding.template.html)的中文文本:scripts/pages.mjs 用它们写出
// docs/embedding.zh-CN.html。
export default {
  'embedding.docTitle': '在你的网页中嵌入 attention-playground',
  'embedding.install.title': '安装',
  'embedding.install.2': '在需要图示的地方写上元素(见下文)。同一页面上的多个图示共用一个引擎。',
  'embedding.install.3': `从磁盘打开的页面(<code>file://</code>)中浏览器会阻止模块脚本,这时改用经典构建,它把
    WebAssembly 内嵌在文件里:`,
  'embedding.install.4': `大小:模块、胶水代码和 SIMD WebAssembly 合计约 150 KB(gzip 压缩后)。KaTeX(用于公式)只在某个图示
    第一次显示公式时才下载,所以只有热图的页面永远不会加载它。经典构建是一个较大的文件(gzip 后约 420 KB),
    因为它内嵌了一切;它的公式使用系统字体。`,
  'embedding.heatmap.3':
    '矩阵,JSON 格式(嵌套数组);<code>null</code> 表示被掩码遮蔽的单元格。作为属性(property)还可以接受 <code>{ data, shape }</code> 或引擎的结果。',
  'embedding.heatmap.4': '标签,用逗号分隔或写成 JSON 数组(任何文字均可:汤姆、注意力……)',
  'embedding.heatmap.5':
    '<code>viridis</code>(默认)、<code>cividis</code>、<code>magma</code>、<code>blues</code>(顺序色图);<code>rdbu</code>、<code>puor</code>(发散色图,以 0 为中心)。全部对色盲友好。',
  'embedding.heatmap.6': '颜色范围(默认:数据的范围;发散色图对称)',
  'embedding.heatmap.7': '等于此值的单元格(例如填充值 −1e6)画成被遮蔽,并且不计入颜色范围',
  'embedding.heatmap.8': '提示框和单元格中的小数位数,0–6(默认 4)',
  'embedding.heatmap.9': '无障碍名称',
  'embedding.heatmap.10': '固定的单元格大小,单位为像素(默认:适应容器)',
  'embedding.heatmap.11': `鼠标悬停可查看精确值;用 Tab 键移到图示上,再用方向键在单元格之间移动;屏幕阅读器会得到一张包含
    每个数字的表格。方法:<code>toPNG()</code>(返回 Blob)、<code>toSVG()</code>(返回文本)。
    如果 <code>values</code> 属性不是有效的 JSON 或不是数字矩阵,图示中会报告错误,并保留最后一组有效的值。`,
  'embedding.steps.1': `一个完整示例,逐步展示:每一步的公式、形状和数字,并配有热图。可以用 id 指定一个内置示例,
    也可以把你自己的输入以 JSON 形式写在元素里面:`,
  'embedding.steps.4': `JSON 格式:<code>queries</code> [Q, d]、<code>keys</code> [K, d]、<code>values</code> [K, d<sub>v</sub>]
    均为嵌套数组;<code>options</code> 与引擎的 <code>attention()</code> 所接受的完全相同
    (<code>scoring</code>:dot | scaled_dot | 加性注意力 additive,需 <code>wq</code>、<code>wk</code>、<code>v</code> |
    双线性 bilinear,需 <code>w</code>;<code>validLens</code>、<code>mask</code>、<code>causal</code>、
    <code>temperature</code>、<code>fill</code>、<code>mode</code>:soft | argmax | sample、<code>seed</code>);
    <code>labels</code> 包含 <code>queries</code> 和 <code>keys</code>;可选的 <code>title</code>。
    对于自注意力,给出 <code>x</code>、<code>wq</code>、<code>wk</code>、<code>wv</code>,而不是查询、键和值。
    JSON 中没有 −∞:请写成 <code>"-Infinity"</code>。<code>&lt;script type="application/json"&gt;</code>
    是数据而不是代码:严格的 CSP 允许它。格式错误、超过 1 MB、含有 <code>__proto__</code>、
    <code>constructor</code> 或 <code>prototype</code> 键,或引擎拒绝的输入,都会在图示中报告;图示保留最后
    一组有效的步骤,在此之前则显示内置的自注意力示例。</p>
  <p>属性:<code>example</code>、<code>precision</code>(2–6)。对象属性:<code>spec</code>(与 JSON 相同的对象)。`,
  'embedding.playground.1': '一个实时的示例,带有你选择的控件;或者一个只读的图示。',
  'embedding.playground.3': `<code>self-attention</code>、<code>translation-alignment</code>、<code>masked-softmax</code>、
        <code>scoring-functions</code>、<code>causal-mask</code>、<code>hard-vs-soft</code>、<code>multi-head</code>、<code>why-scale</code>
        (即演练场的 <code>#example=</code> id)</td></tr>
      <tr><td><code>controls</code></td><td>用逗号分隔,可选:<code>labels</code>、<code>scoring</code>、<code>mask</code>、
        <code>temperature</code>、<code>mode</code>、<code>seed</code>、<code>heads</code>、<code>size</code>、<code>randomise</code>、
        <code>compare</code>、<code>lens</code>、<code>experiment</code>、<code>precision</code>、<code>reset</code>
        (默认:该示例提供的全部控件)</td></tr>
      <tr><td><code>readonly</code></td><td>一个图示:没有控件,不能编辑</td></tr>
      <tr><td><code>precision</code></td><td>小数位数,2–6(默认 4)`,
  'embedding.playground.4': '对象属性 <code>state</code>:以普通 JSON 表示的完整状态(设置它即可精确恢复一个图示)。',
  'embedding.check.1': `把 <code>#example=check</code> 的检查器放在你的草稿旁边:把你的完整示例写在标签之间,每个矩阵写在它的
    名字之后(<code>X =</code>、<code>W_Q =</code>、<code>Q =</code>、<code>QK^T =</code>、
    <code>scores =</code>、<code>weights =</code>、<code>output =</code>),可以是 LaTeX、NumPy 或 PyTorch 的输出、
    JSON、Markdown 表格或一行行的数字。引擎重新计算每一步:错误的数字旁标出正确值,第一个错误的步骤会
    高亮显示并给出原因。`,
  'embedding.check.2': `含有 <code>&lt;</code> 的文本(例如 PyTorch 的 <code>grad_fn=&lt;…&gt;</code>)放在一个
    <code>&lt;script type="text/plain"&gt;</code> 子元素里。属性:<code>scoring</code>
    (<code>scaled_dot</code>,默认,或 <code>dot</code>)、<code>causal</code>、<code>decimals</code>(原文数值打印到
    几位小数;默认:每个矩阵所显示的位数)、<code>readonly</code>(只显示检查后的步骤,没有粘贴框)、
    <code>precision</code>。对象属性 <code>text</code> 设置示例;<code>result</code> 是最近一次检查的结果
    <code>{ verdict, firstWrong }</code>,同时通过 <code>attention-check</code> 事件发出。`,
  'embedding.languages.1': '中文文本是 <code>dist/</code> 中单独的一个文件,只有显示中文图示的页面才会获取。',
  'embedding.theming.1': '每个元素根据它的容器确定自身大小。',
  'embedding.packages.1':
    'Vite(在 <code>npm test</code> 中测试:一个全新的 Vite 7 项目,无配置,构建后在严格的 CSP 下提供服务)',
  'embedding.packages.2': `并在 <code>index.html</code> 中写 <code>&lt;attention-steps example="self-attention"&gt;&lt;/attention-steps&gt;</code>。
      使用 <code>vite dev</code> 时,请把这个包排除在预构建之外(预构建会把模块从它们的文件旁移走):
      <code>optimizeDeps: { exclude: ['attention-playground'] }</code>。`,
  'embedding.packages.3': '然后在任意 Markdown 页面中写这些元素。',
  'embedding.packages.4':
    '然后在 MDX 中写 <code>&lt;attention-steps example="self-attention"&gt;&lt;/attention-steps&gt;</code>。',
  'embedding.packages.5': `写在布局中(Astro 会打包它),元素写在 <code>.astro</code> 或 MDX 页面中;使用
      <code>astro dev</code> 时,在 <code>astro.config.mjs</code> 的 <code>vite:</code> 下加上同样的
      <code>optimizeDeps</code> 排除项。`,
  'embedding.packages.6': `把 <code>node_modules/attention-playground/dist/attention-playground.classic.js</code> 复制到
      <code>_static/</code>,并在 <code>_config.yml</code> 中列出它:`,
  'embedding.packages.7': '然后在 Markdown 单元格(或 <code>{raw} html</code> 块)中写这些元素。',
  'embedding.packages.8': `项目的测试中运行了 Vite、VitePress 和 Astro 的做法(VitePress 自身的页面要求 CSP 允许
    <code>'unsafe-inline'</code> 脚本和样式,以及 <code>data:</code> 图片和字体);Docusaurus 和 Jupyter Book
    的做法遵循各工具文档中加载仅客户端脚本的方式。`,
  'embedding.csp.1': "(<code>'wasm-unsafe-eval'</code> 只允许编译 WebAssembly,别无其他。)",
  'embedding.intro.title': '在你自己的网页中放入实时的注意力图示',
  'embedding.intro.text': `几个自定义元素就能把实时、正确的注意力图示放进你的段落之间:不需要构建步骤,不需要自己的服务器,
    不需要 CDN,不需要框架,也不需要特殊的 HTTP 头。它们可以离线工作,可以在严格的内容安全策略
    (Content-Security-Policy)下工作,也可以在直接从磁盘打开的文件中工作。
    <a href="../examples/tutorial.zh-CN.html">在示例教程中查看它们</a> ·
    <a href="../#example=self-attention&amp;lang=zh-CN">演练场</a>。`,
  'embedding.languages.title': '语言',
  'embedding.languages.text': `这些元素支持英文和简体中文。每个元素跟随它自己的 <code>lang</code> 属性,或离它最近的带有
    <code>lang</code> 的祖先元素,与 HTML 继承 <code>lang</code> 的方式相同:在
    <code>&lt;html lang="zh-CN"&gt;</code> 的页面中图示显示中文,单个图示也可以与页面不同。修改
    <code>lang</code> 属性会重新渲染它所覆盖的图示。如果哪里都没有 <code>lang</code>,则跟随读者的浏览器。
    两种语言中的数字和公式完全相同。`,
  'embedding.events.title': '事件',
  'embedding.events.text': `每个元素都会触发 <code>attention-change</code>(冒泡,composed,因此会穿过 shadow root),
    新的状态在 <code>event.detail</code> 中:演练场每次编辑后给出 <code>{ example, state }</code>,热图在活动
    单元格移动时给出 <code>{ active, value }</code>,步骤元素每次渲染后给出它的输入。`,
  'embedding.theming.title': '主题',
  'embedding.theming.text': `这些元素在 shadow DOM 中渲染:你页面的 CSS 不会渗入,它们的 CSS 也不会渗出。它们跟随读者的浅色
    或深色偏好,并接受以下 CSS 自定义属性:`,
  'embedding.packages.title': '配合 npm、打包工具和站点生成器使用',
  'embedding.packages.text': `<code>npm install attention-playground</code> 提供三个入口,每个都带有 TypeScript 类型:
    <code>attention-playground</code>(引擎,没有副作用,也可在 Node 中运行)、
    <code>attention-playground/elements</code>(注册这些元素;其类型把它们加入
    <code>HTMLElementTagNameMap</code>)和 <code>attention-playground/classic</code>(单个经典脚本文件)。
    打包工具会自行复制 WebAssembly 和 KaTeX 的字体:模块用
    <code>new URL('…', import.meta.url)</code> 指明它们。在带有元素的页面上,也请从
    <code>attention-playground/elements</code> 导入 <code>init</code>,这样页面只加载一个引擎。`,
  'embedding.csp.title': '安全与隐私',
  'embedding.csp.text': `这些元素不会向你自己的源之外发出任何网络请求(只请求 <code>dist/</code> 中的文件),从不使用
    <code>eval</code> 或 <code>new Function</code>,也不在标记中设置内联样式属性(样式是可构造样式表)。
    它们可以在以下策略下工作:`,
  'embedding.models.title': '训练好的模型:文件格式与 <code>loadModel</code>',
  'embedding.models.text': `引擎运行 PyTorch 自己的 <code>nn.Transformer</code> 翻译模型:你自己的,或者
    <code>dist/models/translator.safetensors</code> 中的那个(英译中,46,401 个参数,由
    <code>model/train.py</code> 训练)。没有任何数据离开页面:文件在 WebAssembly 中读取和运行。`,
  'embedding.generators.title': '基于 Markdown 的站点生成器',
  'embedding.generators.text': `Hugo、Jekyll、Eleventy、MkDocs、Docusaurus 等会把 Markdown 中的原始 HTML 原样输出(在 Hugo 中需开启
    <code>markup.goldmark.renderer.unsafe</code>;在 MkDocs 中 HTML 块可以直接使用)。把 <code>dist/</code>
    放在生成器原样复制的文件夹中(Hugo 和 Docusaurus 中是 <code>static/</code>,Jekyll 中是站点根目录,
    MkDocs 中是 <code>docs/</code>),把脚本那一行加到布局的 head 中(或在文章中加一次),然后在段落之间
    写这些元素:`,
  'embedding.generators.before': 'softmax 把每一行注意力分数变成注意力权重:',
  'embedding.generators.after': '用 −∞ 填充时,被遮蔽的元素得到的权重恰好为零。',
  'embedding.generators.blankLines': '在每个元素前后各留一个空行,这样 Markdown 解析器会把它当作一个 HTML 块。',
  'embedding.install.copy': `把 <code>dist/</code> 文件夹(由 <code>npm run build</code> 生成)复制到你的页面旁边。这就是全部的
      安装:模块会相对于自身找到它的 WebAssembly 和 KaTeX 文件。`,
  'embedding.install.line': '在页面中加上一行:',
  'embedding.models.format': `模型文件是一个 <code>.safetensors</code> 文件(8 字节的头部长度、一个 JSON 头部,以及小端序的原始
    <code>F32</code> 或 <code>F16</code> 数据),其中有 <code>src_embed.weight</code>、
    <code>tgt_embed.weight</code>、<code>generator.weight</code>、<code>generator.bias</code>,
    <code>torch.nn.Transformer(…, dropout=0.0, batch_first=True)</code> 的 <code>state_dict()</code> 中的每个键
    (加上前缀 <code>transformer.</code>),以及 <code>__metadata__.config</code>:一个 JSON 字符串,含有
    <code>d_model, nhead, num_encoder_layers, num_decoder_layers, dim_feedforward, activation, norm_first,
    layer_norm_eps, src_vocab, tgt_vocab, pad, bos, eos</code>。<code>model/export.py</code> 可以从你的模块
    写出这样的文件。格式有误的文件会被拒绝,抛出说明错在哪里的 <code>TypeError</code> 或
    <code>RangeError</code>;页面和之前加载的模型都照常工作。README 中“Run a trained translator”一节列出了
    每个方法、前向计算的过程和跟踪(trace)中的每个名称。`,
  'embedding.heatmap.label': '对齐',
  'embedding.attribute': '属性',
  'embedding.meaning': '含义',
  'embedding.steps.figure': '两个查询对三个键',
  'embedding.word.I': '我',
  'embedding.word.saw': '看见',
  'embedding.word.it': '它',
};
