// The browser bench's page script (bundled by bench/browser/run.mjs with esbuild, which brings the
// peers in from node_modules): the same engines and the same interleaved rounds as `npm run bench`,
// measured in the page's main thread, the runtime the playground actually uses. The engine itself
// is loaded unbundled, from web/lib/, as a page would.
import { makeEngines } from '../js/engines.mjs';
import { ceilingEngine, runRounds } from '../js/rounds.mjs';

const bytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());

globalThis.runBench = async ({ sizes, rounds }) => {
  const lib = '/web/lib/index.js';
  const { init, relaxedSimdSupported } = await import(/* a runtime URL, not bundled */ lib);
  const relaxed = relaxedSimdSupported();
  const { engines, overhead } = await makeEngines({
    relaxed,
    init,
    wasmPaths: {
      tfjs: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/',
      ort: '/node_modules/onnxruntime-web/dist/',
    },
  });
  const ceilings = { muladd: await ceilingEngine(await bytes('/build/wasm/bench/attn_ceiling.wasm')) };
  if (relaxed) ceilings.madd = await ceilingEngine(await bytes('/build/wasm/bench/attn_ceiling_relaxed.wasm'));
  const r = await runRounds({
    engines,
    reference: 'attn-simd',
    ceilings,
    overhead,
    sizes,
    rounds,
    collectGarbage: async () => {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 25));
    },
    log: (m) => console.log(`[bench] ${m}`),
  });
  return { runtime: navigator.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent, ...r };
};
