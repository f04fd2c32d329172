/**
 * The module Worker script: exposes a `WorkerHost` running the in-thread API on this thread.
 * Loaded by `spawn-worker.ts`; never imported by main-thread code.
 */
import * as Comlink from 'comlink';
import { cache } from '../cache/index.js';
import { env } from '../env.js';
import { loadPretrainedModel } from '../models/load-model.js';
import { pipeline } from '../pipelines/index.js';
import { loadTokenizer } from '../tokenizers/index.js';
import { WorkerHost, type HostRuntime } from './host.js';

const runtime: HostRuntime = {
  env,
  store: cache,
  pipeline: (task, model, options) => pipeline(task, model, options),
  loadModel: loadPretrainedModel,
  loadTokenizer,
};

Comlink.expose(new WorkerHost(runtime));
