/**
 * `from_pretrained` for every Auto class: config → family table → device and dtype per session
 * → sessions → a `PreTrainedModel` checked against the requested head.
 */
import { loadSession, ortBackend, resolveSessionDTypes, type Device, type DTypeOption, type InferenceBackend } from '../backend/index.js';
import type { HubFileOptions } from '../hub/index.js';
import { AutoConfig } from './auto-config.js';
import type { PretrainedConfig } from './config.js';
import { PreTrainedModel } from './pretrained-model.js';
import { architectureOf, type ModelHead } from './registry.js';

export interface ModelLoadOptions extends HubFileOptions {
  /** 'wasm' (default, as transformers.js), 'webgpu', or 'auto' (WebGPU when an adapter exists). */
  device?: Device;
  /** Weight variant, for all sessions or per session; default from config.json, else fp32. */
  dtype?: DTypeOption;
  /** Passed to the runtime as is (e.g. `graphOptimizationLevel`). */
  session_options?: Record<string, unknown>;
  /** A config already loaded (skips fetching config.json). */
  config?: PretrainedConfig;
  /** The runtime to use; default onnxruntime-web. Tests and future backends plug in here. */
  backend?: InferenceBackend;
}

export async function loadPretrainedModel(modelId: string, head: ModelHead, options: ModelLoadOptions = {}): Promise<PreTrainedModel> {
  const { device = 'wasm', dtype, session_options, config: given, backend = ortBackend, ...hub } = options;
  const config = given ?? (await AutoConfig.from_pretrained(modelId, hub));
  const architecture = architectureOf(config.model_type);
  const resolvedDevice = await backend.resolveDevice(device);
  const dtypes = resolveSessionDTypes(architecture.sessions, dtype, config['transformers.js_config']?.dtype);
  const entries = await Promise.all(
    architecture.sessions.map(async (name) => {
      const session = await loadSession(backend, modelId, name, { ...hub, device: resolvedDevice, dtype: dtypes[name], session_options });
      return [name, session] as const;
    }),
  );
  const sessions = Object.fromEntries(entries);
  try {
    return new PreTrainedModel(modelId, config, sessions, head);
  } catch (error) {
    await Promise.all(entries.map(([, s]) => s.release()));
    throw error;
  }
}

function autoClass(head: ModelHead) {
  return {
    from_pretrained: (modelId: string, options?: ModelLoadOptions) => loadPretrainedModel(modelId, head, options),
  };
}

export const AutoModel = autoClass('base');
export const AutoModelForSequenceClassification = autoClass('sequence-classification');
export const AutoModelForTokenClassification = autoClass('token-classification');
export const AutoModelForQuestionAnswering = autoClass('question-answering');
export const AutoModelForMaskedLM = autoClass('masked-lm');
