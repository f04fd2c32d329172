/**
 * Running the graphs of one model together on the probes, as the model is used: encoders
 * first, each decoder reading its encoder's output.
 */
import { decodeModel } from '../onnx/codec.js';
import { probeGraph, SEARCH_PROBES, type ProbeOutputs, type ProbeSet } from './probes.js';
import type { GraphRunner, ProbeTensor } from './runner.js';

/** Encoders first: their decoders read what they output. */
function runOrder(names: string[]): string[] {
  return [...names].sort((a, b) => Number(!a.includes('encoder')) - Number(!b.includes('encoder')) || (a < b ? -1 : 1));
}

/**
 * Runs the graphs of one model in order, each decoder reading its encoder's output. Outputs
 * are cached by the keys of the graph and of every graph before it, so a search that changes
 * only a decoder does not run its encoder again.
 */
export function chainProber(runner: GraphRunner, sources: Record<string, Uint8Array>, set: ProbeSet = SEARCH_PROBES) {
  const names = runOrder(Object.keys(sources));
  const models = names.map((n) => decodeModel(sources[n]));
  const referenceKeys = names.map((n) => `${n} float32`);
  const probed = new Map<string, Record<string, ProbeTensor>[]>();
  const chainOf = (keys: readonly string[], i: number) => keys.slice(0, i + 1).join('\n\n');
  const probeAll = async (keys: readonly string[], bytes: (name: string) => Uint8Array): Promise<ProbeOutputs> => {
    const outputs: ProbeOutputs = [];
    let encoderStates: ProbeTensor | undefined;
    for (let i = 0; i < names.length; i++) {
      const chain = chainOf(keys, i);
      let steps = probed.get(chain);
      if (!steps) {
        const session = await runner.load(bytes(names[i]));
        try {
          steps = await probeGraph(models[i], session, i, encoderStates, set);
        } finally {
          await session.release();
        }
        probed.set(chain, steps);
      }
      encoderStates = steps[0].last_hidden_state ?? encoderStates;
      outputs.push(steps);
    }
    return outputs;
  };
  return { names, probed, chainOf, probeAll, referenceKeys, probeReference: () => probeAll(referenceKeys, (n) => sources[n]) };
}
