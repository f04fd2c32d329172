/**
 * What the accuracy-guided search needs from an inference engine: load a model from bytes,
 * say what it takes, run it. The library does not import one (it stays free of any runtime);
 * `ortRunner` adapts onnxruntime-web (or onnxruntime-node), which works in Node and in pages.
 */

export type ProbeData = Float32Array | Uint16Array | BigInt64Array | Int32Array | Uint8Array;

/** A tensor crossing the runner boundary: `type` uses onnxruntime's names ('float32', 'int64', 'bool', ...). */
export interface ProbeTensor {
  type: string;
  dims: readonly number[];
  data: ProbeData;
}

/** A graph input: its element type and shape (symbolic dimensions as strings, unknown as undefined). */
export interface InputInfo {
  name: string;
  type: string;
  shape?: readonly (number | string | undefined)[];
}

export interface GraphSession {
  readonly inputs: readonly InputInfo[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, ProbeTensor>): Promise<Record<string, ProbeTensor>>;
  release(): Promise<void>;
}

export interface GraphRunner {
  load(model: Uint8Array): Promise<GraphSession>;
}

/** The part of onnxruntime's JavaScript API that ortRunner uses. */
export interface OrtModule {
  // onnxruntime's overloads and session type are wider than this adapter reads; checked where used.
  InferenceSession: { create(model: Uint8Array): Promise<object> };
  Tensor: new (type: any, data: any, dims: readonly number[]) => ProbeTensor;
}

interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string | undefined)[] }[];
  run(feeds: Record<string, ProbeTensor>): Promise<Record<string, ProbeTensor>>;
  release(): Promise<void>;
}

/** A GraphRunner over onnxruntime: pass the onnxruntime-web module namespace (or onnxruntime-node's). */
export function ortRunner(ort: OrtModule): GraphRunner {
  return {
    async load(model) {
      const session = (await ort.InferenceSession.create(model)) as OrtSession;
      return {
        inputs: session.inputMetadata.map((m) => ({ name: m.name, type: m.type ?? 'float32', shape: m.shape })),
        outputNames: session.outputNames,
        run: async (feeds) => {
          const tensors: Record<string, ProbeTensor> = {};
          for (const [name, t] of Object.entries(feeds)) tensors[name] = new ort.Tensor(t.type, t.data, t.dims);
          return session.run(tensors);
        },
        release: () => session.release(),
      };
    },
  };
}
