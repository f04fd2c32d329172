/**
 * Probe inputs made from a graph's own declarations, and the cosine of a variant's outputs
 * against the float32 model's on them. Token ids stay inside the embedding table the ids
 * index; masks are all ones (padding only adds fully masked rows, whose values nobody reads);
 * a graph with a KV cache runs twice, the second step on its own `present` outputs (a cached
 * step amplifies errors the first step hides).
 */
import { ConvertError } from '../errors.js';
import { allGraphs } from '../graph/walk.js';
import { float32ToFloat16Bits, fromFloat16Array } from '../onnx/float16.js';
import type { ModelProto } from '../onnx/types.js';
import type { GraphSession, InputInfo, ProbeTensor } from './runner.js';

/**
 * Sequences per probe batch, and tokens of the first step (the cached step adds one). An
 * encoder-decoder's decoder starts short, as generation does (one start token, then cached
 * steps); a few tokens rather than one so that its self-attention has something to weigh.
 */
const PROBE_BATCH = 2;
const PROBE_LENGTH = 32;
const DECODER_PROBE_LENGTH = 4;

/** Which probe inputs: sequences per batch, and the seed they are drawn from. */
export interface ProbeSet {
  batch: number;
  seed: number;
}

/** What the accuracy-guided search measures the variants on. */
export const SEARCH_PROBES: ProbeSet = { batch: PROBE_BATCH, seed: 0x5eed };

/** Ops that carry token ids unchanged to the Gather that reads them. */
const ID_CARRIERS = new Set(['Reshape', 'Cast', 'Unsqueeze', 'Squeeze', 'Flatten', 'Identity']);

/** Rows of the table that the ids in `input` index (the vocabulary size). */
export function tokenRange(model: ModelProto, input: string): number {
  const nodes = allGraphs(model.graph).flatMap((g) => g.node);
  const rows = new Map(allGraphs(model.graph).flatMap((g) => g.initializer).map((t) => [t.name, t.dims[0]]));
  const carried = new Set([input]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of nodes) {
      if (ID_CARRIERS.has(n.opType) && carried.has(n.input[0]) && !carried.has(n.output[0])) {
        carried.add(n.output[0]);
        changed = true;
      }
    }
  }
  const tables = nodes.filter((n) => n.opType === 'Gather' && carried.has(n.input[1]) && rows.has(n.input[0]));
  if (tables.length === 0) {
    throw new ConvertError('probe_input', `cannot tell which token ids input "${input}" may hold: no Gather reads it from a table`, 'Convert without targetCosine, or with a graph whose ids index an embedding initializer.');
  }
  return Math.min(...tables.map((n) => rows.get(n.input[0])!));
}

/** Marsaglia's xorshift32: seeded, so every run probes the same inputs (statistical quality hardly matters here). */
export function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

interface Step {
  /** Tokens fed in this step. */
  length: number;
  /** Tokens already in the cache. */
  past: number;
}

function dims(info: InputInfo, step: Step, batch: number): number[] {
  const { name } = info;
  const shape = info.shape ?? [];
  if (name.startsWith('past_key_values')) return shape.map((d, i) => (i === 0 ? batch : i === 2 ? step.past : (d as number)));
  if (name === 'encoder_hidden_states') return [batch, PROBE_LENGTH, shape[2] as number];
  if (name === 'encoder_attention_mask') return [batch, PROBE_LENGTH];
  if (name === 'attention_mask') return [batch, step.past + step.length];
  if (name === 'use_cache_branch') return [1];
  return shape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? batch : step.length));
}

function floatTensor(type: string, values: Float32Array, shape: number[]): ProbeTensor {
  if (type === 'float16') return { type, dims: shape, data: Uint16Array.from(values, float32ToFloat16Bits) };
  return { type: 'float32', dims: shape, data: values };
}

function intTensor(type: string, values: number[], shape: number[]): ProbeTensor {
  if (type === 'int32') return { type, dims: shape, data: Int32Array.from(values) };
  if (type === 'bool') return { type, dims: shape, data: Uint8Array.from(values) };
  return { type: 'int64', dims: shape, data: BigInt64Array.from(values, (v) => BigInt(v)) };
}

function probeInput(model: ModelProto, info: InputInfo, step: Step, batch: number, random: () => number): ProbeTensor {
  const shape = dims(info, step, batch);
  if (shape.some((d) => !Number.isInteger(d))) {
    throw new ConvertError('probe_input', `cannot make a probe value for input "${info.name}": its shape is not declared`, 'Convert without targetCosine, or export the model with input shapes.');
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const { name, type } = info;
  if (type === 'float32' || type === 'float16') {
    // Standard normal (Box-Muller): encoder states and other float inputs of unit scale.
    const values = Float32Array.from({ length: size }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
    return floatTensor(type, values, shape);
  }
  const fill = (f: (i: number) => number) => intTensor(type, Array.from({ length: size }, (_, i) => f(i)), shape);
  if (name.includes('input_ids')) {
    const range = tokenRange(model, name);
    return fill(() => Math.floor(random() * range));
  }
  if (name.includes('attention_mask')) return fill(() => 1);
  if (name === 'position_ids') return fill((i) => step.past + (i % step.length));
  if (name === 'use_cache_branch') return fill(() => (step.past > 0 ? 1 : 0));
  return fill(() => 0);
}

/** The outputs compared: everything but the cache (which the cached step reads anyway). */
function comparedOutputs(outputs: Record<string, ProbeTensor>): string[] {
  return Object.keys(outputs).filter((n) => !n.startsWith('present') && (outputs[n].type === 'float32' || outputs[n].type === 'float16'));
}

/** Outputs of every probe step of every graph, in the order the graphs ran. */
export type ProbeOutputs = Record<string, ProbeTensor>[][];

/**
 * Runs one graph on the probe steps: the first with an empty cache, then (when the graph has
 * a cache) one token on its own presents. A decoder reads `encoderStates`, the output of its
 * encoder, as the models are used (a decoder amplifies its encoder's error; probed alone, on
 * made-up states, neither graph shows it). Each graph's values come from its own seed (the
 * set's plus `graph`), so every model of one conversion sees the same inputs.
 */
export async function probeGraph(
  model: ModelProto,
  session: GraphSession,
  graph: number,
  encoderStates?: ProbeTensor,
  set: ProbeSet = SEARCH_PROBES,
): Promise<Record<string, ProbeTensor>[]> {
  const random = generator(set.seed + graph);
  const length = session.inputs.some((i) => i.name === 'encoder_hidden_states') ? DECODER_PROBE_LENGTH : PROBE_LENGTH;
  const steps: Step[] = [{ length, past: 0 }];
  if (session.inputs.some((i) => i.name.startsWith('past_key_values'))) steps.push({ length: 1, past: length });
  const results: Record<string, ProbeTensor>[] = [];
  let previous: Record<string, ProbeTensor> = {};
  for (const step of steps) {
    const feeds: Record<string, ProbeTensor> = {};
    for (const info of session.inputs) {
      const present = step.past > 0 ? previous[info.name.replace('past_key_values', 'present')] : undefined;
      const states = info.name === 'encoder_hidden_states' ? encoderStates : undefined;
      feeds[info.name] = present ?? states ?? probeInput(model, info, step, set.batch, random);
    }
    previous = await session.run(feeds);
    results.push(previous);
  }
  return results;
}

function values(t: ProbeTensor): Float32Array {
  return t.type === 'float16' ? fromFloat16Array(t.data as Uint16Array) : (t.data as Float32Array);
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 && nb === 0) return 1;
  return dot / Math.sqrt(na * nb);
}

/** The lowest cosine, over graphs, steps, compared outputs and probe sequences, of a variant against the reference. */
export function minCosine(reference: ProbeOutputs, variant: ProbeOutputs): number {
  let min = 1;
  reference.forEach((steps, graph) =>
    steps.forEach((outputs, step) => {
      for (const name of comparedOutputs(outputs)) {
        const expected = values(outputs[name]);
        const actual = values(variant[graph][step][name]);
        const rows = outputs[name].dims[0] === PROBE_BATCH ? PROBE_BATCH : 1;
        const size = expected.length / rows;
        for (let r = 0; r < rows; r++) {
          const c = cosine(expected.subarray(r * size, (r + 1) * size), actual.subarray(r * size, (r + 1) * size));
          min = Math.min(min, Number.isNaN(c) ? -1 : c);
        }
      }
    }),
  );
  return min;
}
