// The bench page for the peer, transformers.js (npm @huggingface/transformers), in the page's thread.
import { env, pipeline } from '@huggingface/transformers';
import { installBench, type BenchPipeline } from './harness.js';

// onnxruntime-web served locally (its default is a CDN). webformers pins the same build transformers.js
// depends on, so npm installs one copy and both libraries run the same kernels.
const ORT_DIST = '/node_modules/onnxruntime-web/dist/';

installBench({
  configure(hub, threads) {
    env.remoteHost = `${hub}/`;
    env.remotePathTemplate = '{model}/resolve/{revision}/';
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    const wasm = env.backends.onnx.wasm!;
    wasm.wasmPaths = ORT_DIST;
    wasm.numThreads = threads;
  },
  async pipeline(task, model, dtype, device) {
    return (await pipeline(task as 'text-classification', model, { device, dtype: dtype as 'fp32' })) as unknown as BenchPipeline;
  },
  async responsiveGenerator(model) {
    const generator = await pipeline('text-generation', model, { device: 'wasm', dtype: 'fp32' });
    return async (prompt, newTokens) => {
      await generator(prompt, { max_new_tokens: newTokens, min_new_tokens: newTokens, do_sample: false });
    };
  },
});
