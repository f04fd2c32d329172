/**
 * The accuracy-guided plan: after the data-free plan, run the float32 models and the variants
 * on probe inputs and, while the variants' lowest output cosine is under the target, move
 * weights up a level (4-bit → q8's int8 form → float32), those that buy the most cosine per
 * byte first. Sensitivity is measured, not guessed: in attention without 1/√d scaling (T5) a
 * weight's rounding error is amplified several times by each nearly one-hot softmax after it,
 * and a decoder amplifies its encoder's error again, so early, small weights can matter more
 * than the data-free error ranking says. The graphs of one model (encoder and decoder) are
 * searched together, each decoder reading its encoder's output. Deterministic (seeded probes,
 * ties broken by name); a target it cannot reach is reported, never hidden.
 */
import { ConvertOptionError } from '../errors.js';
import { quantizeModel, type ConvertedModel, type Dtype, type QuantizeOptions } from '../index.js';
import type { Precision, UpLevel } from '../variants/precision.js';
import { calibrateGraphs } from './calibration.js';
import { chainProber } from './chain.js';
import { minCosine } from './probes.js';
import type { GraphRunner } from './runner.js';

/** Issue 7's bars: the default target of each dtype (lowest output cosine against float32). */
export const DEFAULT_TARGET_COSINE: Record<Dtype, number> = { fp16: 0.999, q8: 0.99, q4: 0.98, q4f16: 0.98 };

export interface TargetOptions extends Omit<QuantizeOptions, 'calibration'> {
  /** Runs the models on the probe inputs (ortRunner(ort) for onnxruntime-web). */
  runner: GraphRunner;
  /** Lowest output cosine against float32 on the probes. Default DEFAULT_TARGET_COSINE[dtype]. */
  targetCosine?: number;
  /**
   * q4 / q4f16: error-compensated 4-bit blocks (calibrateGraphs, GPTQ) at the 4-bit level, so
   * that fewer weights need to move up. Default true; false rounds every block to nearest.
   */
  calibrate?: boolean;
}

export interface AccuracyReport {
  target: number;
  /** Lowest output cosine of the written variants on the probes. */
  minCosine: number;
  met: boolean;
  /** Variants converted and run to get there. */
  evaluations: number;
}

export interface TargetedGraphs {
  /** By the names the graphs were given under. */
  graphs: Record<string, ConvertedModel>;
  accuracy: AccuracyReport;
}

/** Weights kept above the plan, per graph name. */
type KeepMap = ReadonlyMap<string, ReadonlyMap<string, UpLevel>>;

interface Evaluation {
  graphs: Record<string, ConvertedModel>;
  cosine: number;
  bytes: number;
  /** Cache keys of its converted graphs. */
  keys: string[];
}

interface Move {
  graph: string;
  weight: string;
  up: UpLevel;
}

/**
 * The level a weight moves to next, or undefined at float32: 4-bit blocks, then int8 with a
 * scale per output column (for q8, what per-tensor int8 moves to first: on T5 most of q8's
 * loss is one scale per weight, not the activations' dynamic uint8), then float32.
 */
function nextLevel(level: Precision, perChannel: boolean): UpLevel | undefined {
  if (level === 'float') return undefined;
  return level === 'int8' || (level === 8 && perChannel) ? 'float' : 'int8';
}

function withMoves(keep: KeepMap, moves: readonly Move[]): KeepMap {
  const next = new Map([...keep].map(([graph, weights]) => [graph, new Map(weights)]));
  for (const m of moves) {
    if (!next.has(m.graph)) next.set(m.graph, new Map());
    next.get(m.graph)!.set(m.weight, m.up);
  }
  return next;
}

/**
 * The check without the search: the lowest output cosine of already converted graphs
 * (`variants`, by the names of their `sources`) against float32 on the probes.
 */
export async function measureGraphs(sources: Record<string, Uint8Array>, variants: Record<string, Uint8Array>, runner: GraphRunner): Promise<number> {
  const { names, probeAll, probeReference } = chainProber(runner, sources);
  const reference = await probeReference();
  return minCosine(reference, await probeAll(names, (n) => variants[n]));
}

/**
 * Converts the graphs of one model (e.g. `{ encoder_model, decoder_model_merged }`) as
 * quantizeModel does, then moves weights up until the probes meet the target or every weight
 * is float32.
 */
export async function quantizeGraphsToTarget(sources: Record<string, Uint8Array>, options: TargetOptions): Promise<TargetedGraphs> {
  const { runner, targetCosine, calibrate, ...quantizeOptions } = options;
  const target = targetCosine ?? DEFAULT_TARGET_COSINE[options.dtype];
  const { names, probed, chainOf, probeAll, referenceKeys, probeReference } = chainProber(runner, sources);
  const reference = await probeReference();
  const fourBit = options.dtype === 'q4' || options.dtype === 'q4f16';
  const calibration = fourBit && (calibrate ?? true) ? await calibrateGraphs(sources, runner) : {};
  const converted = new Map<string, ConvertedModel>();
  const keyOf = (name: string, keep: ReadonlyMap<string, UpLevel> | undefined) => `${name}\n${JSON.stringify([...(keep ?? [])].sort())}`;
  const convert = (name: string, keep: ReadonlyMap<string, UpLevel> | undefined): ConvertedModel => {
    const key = keyOf(name, keep);
    let result = converted.get(key);
    if (!result) {
      const keepWeights = { ...quantizeOptions.keepWeights, ...Object.fromEntries(keep ?? []) };
      result = quantizeModel(sources[name], { ...quantizeOptions, keepWeights, calibration: calibration[name] });
      if (result.externalData) {
        throw new ConvertOptionError({
          option: 'targetCosine',
          detail: `the ${quantizeOptions.dtype} variant of ${name} keeps its weights in an external-data file, which the probe runner cannot load`,
          hint: 'Convert models over 2 GB without targetCosine.',
        });
      }
      converted.set(key, result);
    }
    return result;
  };
  let evaluations = 0;
  const evaluate = async (keep: KeepMap): Promise<Evaluation> => {
    const graphs = Object.fromEntries(names.map((n) => [n, convert(n, keep.get(n))]));
    evaluations++;
    const keys = names.map((n) => keyOf(n, keep.get(n)));
    const variant = await probeAll(keys, (n) => graphs[n].model);
    return { graphs, cosine: minCosine(reference, variant), bytes: names.reduce((sum, n) => sum + graphs[n].model.length, 0), keys };
  };
  /** Drops cached graphs and outputs that `kept` (where the search stands) does not use: large models are large. */
  const forget = (kept: Evaluation): void => {
    const chains = new Set(names.flatMap((_, i) => [chainOf(kept.keys, i), chainOf(referenceKeys, i)]));
    for (const key of converted.keys()) if (!kept.keys.includes(key)) converted.delete(key);
    for (const chain of probed.keys()) if (!chains.has(chain)) probed.delete(chain);
  };
  const finish = (e: Evaluation): TargetedGraphs => ({ graphs: e.graphs, accuracy: { target, minCosine: e.cosine, met: e.cosine >= target, evaluations } });

  let keep: KeepMap = new Map();
  let current = await evaluate(keep);
  while (current.cosine < target) {
    const movable: Move[] = names.flatMap((graph) =>
      [...current.graphs[graph].weightLevels]
        .map(([weight, level]) => ({ graph, weight, up: nextLevel(level, options.perChannel ?? false) }))
        .filter((m): m is Move => m.up !== undefined)
        .sort((a, b) => (a.weight < b.weight ? -1 : 1)),
    );
    if (movable.length === 0) break;
    // Each weight moved up alone, from where the search stands: cosine bought per extra byte.
    const ranked: { move: Move; value: number }[] = [];
    for (const move of movable) {
      const trial = await evaluate(withMoves(keep, [move]));
      if (trial.cosine >= target) return finish(trial);
      ranked.push({ move, value: (trial.cosine - current.cosine) / Math.max(1, trial.bytes - current.bytes) });
      forget(current);
    }
    ranked.sort((a, b) => b.value - a.value);
    const prefix = (n: number): KeepMap => withMoves(keep, ranked.slice(0, n).map((r) => r.move));
    // The shortest prefix of the ranking that meets the target: double its length, then bisect.
    let failing = 0;
    let meeting: Evaluation | undefined;
    for (let n = 1; !meeting; n = Math.min(2 * n, movable.length)) {
      const e = await evaluate(prefix(n));
      if (e.cosine >= target) meeting = e;
      else if (n === movable.length) break;
      else failing = n;
    }
    if (!meeting) {
      keep = prefix(movable.length);
      current = await evaluate(keep);
      continue;
    }
    let enough = failing === 0 ? 1 : Math.min(2 * failing, movable.length);
    while (enough - failing > 1) {
      const middle = (failing + enough) >> 1;
      const e = await evaluate(prefix(middle));
      if (e.cosine >= target) [enough, meeting] = [middle, e];
      else failing = middle;
    }
    return finish(meeting);
  }
  return finish(current);
}
