// The English texts of the sample tutorial (web/examples/tutorial.template.html): scripts/pages.mjs
// writes examples/tutorial.html from the template with these, and examples/tutorial.zh-CN.html with
// zh-CN.tutorial.js. No page loads this part at run time; the messages are HTML.
export default {
  'tutorial.docTitle': 'Attention, in five live figures · a sample tutorial',
  'tutorial.title': 'Attention, in five live figures',
  'tutorial.byline': `A sample tutorial page built with attention-playground's elements. Every figure is
      live: the numbers are computed in your browser by a WebAssembly engine, offline.`,
  'tutorial.who.title': '1. Who attends to whom',
  'tutorial.who.text': `When a translation model writes <span lang="zh">杰瑞</span>, it looks back at the English
      sentence and weighs each word. The article this tutorial grew from gives those weights as
      Tom 0.3, chase 0.2, Jerry 0.5. A heatmap shows such weights at a glance: one row per word
      being produced, one column per word being read.`,
  'tutorial.who.label': 'Tom chase Jerry alignment',
  'tutorial.every.title': '2. Every number of one example',
  'tutorial.every.text': `Self-attention turns each token into a query, a key and a value, scores every query against
      every key, turns each row of scores into weights with a softmax and averages the values. Here
      is the classic three-token example with every intermediate matrix. (The widely copied version
      of it gets the very first product wrong: with X = I₃, X·W is W itself.)`,
  'tutorial.own.title': '3. Your own inputs',
  'tutorial.own.text': `Any queries, keys and values can be written into the page as data: a figure for exactly the
      case you are discussing. This one blocks future keys with a causal mask.`,
  'tutorial.own.figure': 'Two queries over three keys, causal',
  'tutorial.own.I': 'I',
  'tutorial.own.saw': 'saw',
  'tutorial.own.it': 'it',
  'tutorial.try.title': '4. Try it: the causal mask and the temperature',
  'tutorial.try.text': `Move the temperature: high values flatten the weights toward uniform, low ones sharpen them
      toward the largest score. Switch the mask off to let every token see the future.`,
  'tutorial.scale.title': '5. Why divide by √d<sub>k</sub>',
  'tutorial.scale.text': `Dot products of random vectors grow with their length. Without the scaling, the softmax
      saturates on a single key as d<sub>k</sub> grows; with it, the spread stays put.`,
  'tutorial.madeWith': `Made with <a href="../docs/embedding.html">attention-playground's elements</a>.`,
};
