/**
 * Calibration for error-compensated 4-bit blocks (variants/gptq.ts): the input activations of
 * every weighted MatMul, collected by running the float32 graphs with those values added as
 * graph outputs, turned into each weight's H = 2·XᵀX / rows and its compensation factor.
 * The inputs are probes drawn like the search's (probes.ts) but from another seed and with
 * more sequences, so that the search's own probes measure the compensated weights on inputs
 * they were not fitted to (the goldens' inputs are a third, unrelated set).
 */
import { makeNode, NameAllocator, tensorAttribute } from '../graph/edit.js';
import { subgraphsOf } from '../graph/walk.js';
import { decodeModel, encodeModelParts, joinParts } from '../onnx/codec.js';
import { makeTensor } from '../onnx/tensor-data.js';
import { DataType, type GraphProto, type ModelProto, type ValueInfoProto } from '../onnx/types.js';
import { embeddingTables } from '../variants/gather.js';
import { accumulateGram, compensationFactor, type WeightCalibration } from '../variants/gptq.js';
import { rewriteWeightedMatMuls, tableKey, type MatMulRewriter, type WeightedMatMul } from '../variants/weighted-matmul.js';
import { chainProber } from './chain.js';
import type { ProbeSet } from './probes.js';
import type { GraphRunner } from './runner.js';

/**
 * Calibration inputs: 8 sequences (an encoder-decoder's decoder: 8 × 4 tokens, then 8 cached
 * ones), so that even a decoder's H sees more tokens than a small model has hidden units.
 */
const CALIBRATION_PROBES: ProbeSet = { batch: 8, seed: 0xca1b };

/** An activation made visible: the value that carries it in some graph, the weight it multiplies. */
interface Tap {
  value: string;
  key: string;
  k: number;
}

/** Lists the weighted MatMuls' activations by the graph that computes them, rewriting nothing. */
class ActivationRecorder implements MatMulRewriter {
  readonly taps = new Map<GraphProto, Tap[]>();

  constructor(private readonly skipped: ReadonlySet<string>) {}

  rewrite(site: WeightedMatMul, graph: GraphProto): undefined {
    if (this.skipped.has(site.cacheKey)) return undefined;
    if (!this.taps.has(graph)) this.taps.set(graph, []);
    this.taps.get(graph)!.push({ value: site.activation, key: site.cacheKey, k: site.k });
    return undefined;
  }
}

function floatValue(name: string): ValueInfoProto {
  return { name, type: { tensorType: { elemType: DataType.FLOAT, unknown: [] }, unknown: [] }, unknown: [] };
}

/**
 * Makes the taps of `graph` and of the If branches inside it outputs of `graph`'s nodes:
 * returns them by the names they have in `graph`. Both branches of an If must give the same
 * outputs, so each branch gives every tap of both, an empty [0, k] tensor for the other's.
 */
function exposeTaps(graph: GraphProto, recorded: ReadonlyMap<GraphProto, Tap[]>, names: NameAllocator): Tap[] {
  const taps = [...(recorded.get(graph) ?? [])];
  for (const node of graph.node) {
    if (node.opType !== 'If') continue;
    const branches = subgraphsOf(node);
    const inner = branches.map((b) => exposeTaps(b, recorded, names));
    const slots = inner.flat();
    branches.forEach((branch, b) => {
      const own = new Set(inner[b]);
      for (const slot of slots) {
        const output = names.fresh(`${slot.value}_calibration`);
        if (own.has(slot)) branch.node.push(makeNode('Identity', [slot.value], [output], names.fresh(`${output}_identity`)));
        else {
          const empty = makeTensor(names.fresh(`${output}_empty`), DataType.FLOAT, [0, slot.k], new Float32Array(0));
          branch.node.push(makeNode('Constant', [], [output], names.fresh(`${output}_constant`), [tensorAttribute('value', empty)]));
        }
        branch.output.push(floatValue(output));
      }
    });
    for (const slot of slots) {
      const value = names.fresh(`${slot.value}_calibration`);
      node.output.push(value);
      taps.push({ ...slot, value });
    }
  }
  return taps;
}

/**
 * The float32 model with every weighted MatMul's activation as an extra graph output, and
 * which weight (WeightedMatMul.cacheKey) each output belongs to. Tables that a Gather reads
 * too (an LM head tied to the embeddings) are left out: their 4-bit rows are also the
 * embedding lookup's, whose error H does not see.
 */
function instrument(bytes: Uint8Array): { model: Uint8Array; taps: Tap[] } {
  const model: ModelProto = decodeModel(bytes);
  const names = new NameAllocator(model.graph);
  const skipped = new Set([...embeddingTables(model)].map(tableKey));
  const recorder = new ActivationRecorder(skipped);
  // Every node stays float32: the recorder only lists them (folded weight Transposes are put back).
  rewriteWeightedMatMuls(model, names, recorder);
  const taps = exposeTaps(model.graph, recorder.taps, names).map((tap) => {
    const value = names.fresh(`${tap.value}_calibration`);
    model.graph.node.push(makeNode('Identity', [tap.value], [value], names.fresh(`${value}_identity`)));
    model.graph.output.push(floatValue(value));
    return { ...tap, value };
  });
  return { model: joinParts(encodeModelParts(model)), taps };
}

/**
 * Runs the float32 graphs of one model (e.g. `{ encoder_model, decoder_model_merged }`) on the
 * calibration probes and returns, per graph, the compensation factor of every weight whose
 * activations it saw (a weight read in several places, such as both branches of a merged
 * decoder, sums their rows).
 */
export async function calibrateGraphs(sources: Record<string, Uint8Array>, runner: GraphRunner): Promise<Record<string, WeightCalibration>> {
  const instrumented = Object.fromEntries(Object.entries(sources).map(([name, bytes]) => [name, instrument(bytes)]));
  const { names, probeReference } = chainProber(runner, Object.fromEntries(Object.entries(instrumented).map(([n, i]) => [n, i.model])), CALIBRATION_PROBES);
  const outputs = await probeReference();
  const result: Record<string, WeightCalibration> = {};
  names.forEach((name, g) => {
    const grams = new Map<string, { h: Float64Array; k: number; rows: number }>();
    for (const step of outputs[g]) {
      for (const tap of instrumented[name].taps) {
        const x = step[tap.value].data as Float32Array;
        if (!grams.has(tap.key)) grams.set(tap.key, { h: new Float64Array(tap.k * tap.k), k: tap.k, rows: 0 });
        const gram = grams.get(tap.key)!;
        accumulateGram(gram.h, x, tap.k);
        gram.rows += x.length / tap.k;
      }
    }
    const factors = new Map<string, Float64Array>();
    for (const [key, { h, k, rows }] of grams) {
      if (rows === 0) continue;
      const factor = compensationFactor(h.map((v) => (2 * v) / rows), k);
      if (factor) factors.set(key, factor);
    }
    result[name] = factors;
  });
  return result;
}
