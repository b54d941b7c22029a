// The playground page's own texts (web/index.html, web/app.js): a part of the Chinese catalogue
// that only the page loads, not every page that embeds the elements (see index.js, t.with).
export default {
  'page.lede':
    '由 C++ 引擎在 WebAssembly 中逐步计算注意力,并显示每一个数字。编辑任意输入,每一步都会重新计算;地址栏始终保存一个链接,精确指向你所看到的内容。',
  'page.examples': '示例',
  'page.language': '语言',
  'page.footer': '本页的每一个数字都来自 WebAssembly 引擎。{engine}可离线运行:除本服务器外不从任何地方获取内容。',
  'page.engine': '引擎:WebAssembly {build} 版本。',
  'page.engine.relaxed-simd': '宽松 SIMD(融合乘加)',
  'page.engine.simd128': 'SIMD128',
  'page.engine.scalar': '标量',
  'page.startOver': '重新开始',
  'page.embedding': '在你自己的网页中嵌入这些图',
  'page.tutorial': '示例教程',
  'page.docTitle': '{title} · attention-playground',
  'page.refused': '引擎拒绝了链接中的状态;显示该示例的默认状态。',
  'page.tooLarge': '此状态太大,无法放入链接({length} 个字符;最多 {max}):地址栏保留最后一个能放下的状态。',
};
