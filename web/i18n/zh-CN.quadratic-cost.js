// The quadratic-cost example's step texts: a part of the Chinese catalogue that loads with its
// steps (quadratic-cost-compute.js, through t.with; see index.js), not with every page.
export default {
  'quadratic-cost.costTitle': '时间与 N:物化权重与流式计算',
  'quadratic-cost.multiplyAdds': '次乘加',
  'quadratic-cost.memoryTitle': 'WASM 内存与 N',
  'quadratic-cost.weightsTitle.mean': '权重 [{n}, {n}],每块的平均值',
  'quadratic-cost.weightsTitle.max': '权重 [{n}, {n}],每块的最大值',
  'quadratic-cost.materialised': '物化权重',
  'quadratic-cost.streaming': '流式计算',
  'quadratic-cost.msAxis': '时间 (毫秒)',
  'quadratic-cost.bytesAxis': '占用的 WASM 内存 (字节)',
  'quadratic-cost.measuring': { other: '正在 {count} 个后台线程中测量 N = {n}…' },
  'quadratic-cost.measuringHere': '正在当前线程中测量 N = {n}…',
  'quadratic-cost.measured': {
    other:
      '由引擎在 {count} 个后台线程中测得(线程池按查询行拆分每次调用),d = {d};时间为实际耗时(低于 50 毫秒时取至多七次中最快的一次),包括张量的传递。',
  },
  'quadratic-cost.measuredHere':
    '由引擎在当前线程中测得,d = {d};时间为实际耗时(低于 50 毫秒时取至多七次中最快的一次)。',
  'quadratic-cost.costNote':
    '注意力让每个查询与每个键比较,所以 N 翻倍,计算量变为四倍:在对数坐标上,调用足够大时两条时间曲线都与 N² 参考线平行。{rows}。',
  'quadratic-cost.costRow': 'N = {n}:物化 {material},流式 {stream}',
  'quadratic-cost.memoryNote':
    '物化的调用要保存 [N, N] 权重,所以内存也随 N² 增长;流式内核每个查询行只保留一个运行中的最大值与和,所以内存沿着 N 参考线增长。{rows}。',
  'quadratic-cost.memoryRow': 'N = {n}:{material},对比 {stream}',
  'quadratic-cost.refusal':
    '从 N = {n} 起,引擎以 RangeError 拒绝构建 [N, N] 权重矩阵:任何张量最多只能有 {limit} 个元素。',
  'quadratic-cost.refused': '被拒绝',
  'quadratic-cost.ms': '{x} 毫秒',
  'quadratic-cost.mib': '{x} MiB',
  'quadratic-cost.weightsNote':
    '每个像素是一块查询行 × 键,由 WASM 归约(attn.downsample);把鼠标移到像素上可以看到它包含的行和键。',
  'quadratic-cost.weightsShown': 'N = {n} 时无法构建权重(见上文);这里显示 N = {shown}。',
  'quadratic-cost.notYet': '第一次测量正在进行。',
};
