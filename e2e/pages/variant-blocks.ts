// Runs one-node q4 graphs (packages/convert/test/block-graphs.ts) in onnxruntime-web directly, on
// wasm or WebGPU, so that a form the converter might write is checked kernel by kernel before any
// model uses it. The spec builds the graphs and their float references in Node and compares.
import * as ort from 'onnxruntime-web';
import * as ortWebGpu from 'onnxruntime-web/webgpu';
import type { BlockGraph } from '../../packages/convert/test/block-graphs.js';
import { requestAdapter } from '../../packages/webformers/src/backend/index.js';

for (const build of [ort, ortWebGpu]) {
  build.env.wasm.numThreads = 1;
  build.env.logLevel = 'error';
}

/** Where a graph runs: wasm, onnxruntime's native WebGPU provider (webformers' default), or its JSEP one. */
export type BlockDevice = 'wasm' | 'webgpu' | 'webgpu-jsep';

export interface BlockRun {
  dims: number[];
  data: number[];
  /** Set when the session refused the graph or the run failed. */
  error?: string;
}

async function runBlockGraph(graph: BlockGraph, device: BlockDevice): Promise<BlockRun> {
  try {
    const build = device === 'webgpu' ? ortWebGpu : ort;
    const session = await build.InferenceSession.create(Uint8Array.from(graph.model), { executionProviders: [device === 'wasm' ? 'wasm' : 'webgpu'] });
    const { name, type, dims, data } = graph.input;
    const feed = type === 'int64' ? new build.Tensor('int64', BigInt64Array.from(data, BigInt), dims) : new build.Tensor('float32', Float32Array.from(data), dims);
    const y = (await session.run({ [name]: feed })).y;
    await session.release();
    return { dims: [...y.dims], data: Array.from(y.data as Float32Array) };
  } catch (error) {
    return { dims: [], data: [], error: String(error) };
  }
}

async function hasWebGpu(): Promise<boolean> {
  return (await requestAdapter()) !== null;
}

const api = { runBlockGraph, hasWebGpu };
export type VariantBlocksApi = typeof api;
Object.assign(globalThis, { variantBlocks: api });
document.getElementById('log')!.textContent = 'ready';
