/**
 * From a repository and a session name to a running session: pick the dtype's file, fetch it
 * through the hub layer, and start it on the chosen device. When the variant is missing, the
 * error names the variants that exist (probed without downloading them, file-probe.ts).
 */
import { getModelFile } from '../hub/index.js';
import type { HubFileOptions } from '../hub/index.js';
import { onnxFileName } from './dtypes.js';
import { ModelVariantError } from './errors.js';
import { listModelVariants } from './file-probe.js';
import type { InferenceBackend, ModelDType, ModelSession, ResolvedDevice } from './types.js';

export interface LoadSessionOptions extends HubFileOptions {
  device: ResolvedDevice;
  dtype: ModelDType;
  session_options?: Record<string, unknown>;
  /** See `SessionCreateOptions.keepOutputsOnDevice`. */
  keepOutputsOnDevice?: boolean;
}

export async function loadSession(
  backend: InferenceBackend,
  model: string,
  sessionName: string,
  options: LoadSessionOptions,
): Promise<ModelSession> {
  const { device, dtype, session_options, keepOutputsOnDevice, ...hubOptions } = options;
  await backend.assertDTypeRunnable(device, dtype);
  backend.warmUp?.(device, dtype);
  const file = onnxFileName(sessionName, dtype);
  const bytes = await getModelFile(model, file, { ...hubOptions, fatal: false });
  if (!bytes) {
    const available = await listModelVariants(model, sessionName, hubOptions, [dtype]);
    throw new ModelVariantError({ model, file, dtype, available });
  }
  return backend.createSession(bytes, { device, dtype, session_options, keepOutputsOnDevice });
}
