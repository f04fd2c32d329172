// The bench page for webformers: the built package (dist/, what `npm run build` makes), in the
// page's thread for pipelines and through `webformers/worker` for the responsiveness run.
import { env, pipeline, type PipelineTask } from '../../packages/webformers/dist/index.js';
import { env as workerEnv, pipeline as workerPipeline } from '../../packages/webformers/dist/worker/index.js';
import { installBench, type BenchPipeline } from './harness.js';

const ORT_DIST = '/node_modules/onnxruntime-web/dist/';

installBench({
  configure(hub, threads) {
    for (const settings of [env, workerEnv]) {
      settings.remoteHost = `${hub}/`;
      settings.allowLocalModels = false;
      settings.allowRemoteModels = true;
      settings.backends.onnx.wasm.wasmPaths = ORT_DIST;
      settings.backends.onnx.wasm.numThreads = threads;
      // BENCH_WEBGPU_IMPL=jsep (browser.mjs passes it in the query) measures onnxruntime's older WebGPU provider.
      if (new URLSearchParams(location.search).get('webgpu') === 'jsep') settings.backends.onnx.webgpu.implementation = 'jsep';
    }
  },
  async pipeline(task, model, dtype, device) {
    return (await pipeline(task as PipelineTask, model, { device, dtype: dtype as 'fp32' })) as unknown as BenchPipeline;
  },
  async responsiveGenerator(model) {
    const generator = await workerPipeline('text-generation', model, { device: 'wasm', dtype: 'fp32' });
    return async (prompt, newTokens) => {
      const chunks = generator.stream(prompt, { max_new_tokens: newTokens, min_new_tokens: newTokens, do_sample: false });
      for await (const _chunk of chunks);
    };
  },
});
