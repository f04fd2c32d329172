/**
 * From a repository and a session name to a running session: pick the dtype's file, fetch it
 * through the hub layer, and start it on the chosen device. The Hub gives no cheap file listing,
 * so when a variant is missing we ask for each other variant (non-fatal lookups) and name the
 * ones that exist in the error.
 */
import { getModelFile } from '../hub/index.js';
import type { HubFileOptions } from '../hub/index.js';
import { MODEL_DTYPES, onnxFileName } from './dtypes.js';
import { ModelVariantError } from './errors.js';
import type { InferenceBackend, ModelDType, ModelSession, ResolvedDevice } from './types.js';

export interface LoadSessionOptions extends HubFileOptions {
  device: ResolvedDevice;
  dtype: ModelDType;
  session_options?: Record<string, unknown>;
}

export async function loadSession(
  backend: InferenceBackend,
  model: string,
  sessionName: string,
  options: LoadSessionOptions,
): Promise<ModelSession> {
  const { device, dtype, session_options, ...hubOptions } = options;
  await backend.assertDTypeRunnable(device, dtype);
  const file = onnxFileName(sessionName, dtype);
  const bytes = await getModelFile(model, file, { ...hubOptions, fatal: false });
  if (!bytes) {
    const available = await listVariants(model, sessionName, dtype, hubOptions);
    throw new ModelVariantError({ model, file, dtype, available });
  }
  return backend.createSession(bytes, { device, session_options });
}

async function listVariants(model: string, sessionName: string, missing: ModelDType, options: HubFileOptions): Promise<ModelDType[]> {
  const quiet: HubFileOptions = { revision: options.revision, local_files_only: options.local_files_only };
  const found = await Promise.all(
    MODEL_DTYPES.filter((d) => d !== missing).map(async (d) => ((await getModelFile(model, onnxFileName(sessionName, d), { ...quiet, fatal: false })) ? d : null)),
  );
  return found.filter((d): d is ModelDType => d !== null);
}
