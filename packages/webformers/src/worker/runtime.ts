/**
 * The in-thread API a worker host runs: `pipeline`, the model loaders (a generating head loads a
 * model with `generate()` and its generation defaults) and `loadTokenizer`, over a given store.
 */
import { env } from '../env.js';
import { loadGenerativeModel } from '../generation/index.js';
import { loadPretrainedModel } from '../models/load-model.js';
import type { ModelHead } from '../models/registry.js';
import { pipeline } from '../pipelines/index.js';
import { loadTokenizer } from '../tokenizers/index.js';
import type { HostRuntime } from './host.js';

const GENERATIVE_HEADS: ReadonlySet<ModelHead> = new Set(['causal-lm', 'seq2seq-lm']);

export function inThreadRuntime(store: HostRuntime['store']): HostRuntime {
  return {
    env,
    store,
    pipeline: (task, model, options) => pipeline(task, model, options),
    loadModel: (model, head, options) => (GENERATIVE_HEADS.has(head) ? loadGenerativeModel(model, head, options) : loadPretrainedModel(model, head, options)),
    loadTokenizer,
  };
}
