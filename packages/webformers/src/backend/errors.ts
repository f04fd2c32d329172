import { WebformersError } from '../utils/errors.js';

/** The requested device cannot be used here (no WebGPU adapter, or a missing GPU feature). */
export class DeviceUnavailableError extends WebformersError {
  readonly device: string;
  constructor(device: string, message: string, hint: string) {
    super('device_unavailable', message, { hint });
    this.device = device;
  }
}

/** The repository has no graph file for the requested dtype; `available` lists the variants found. */
export class ModelVariantError extends WebformersError {
  readonly model: string;
  readonly file: string;
  readonly dtype: string;
  readonly available: string[];
  constructor(details: { model: string; file: string; dtype: string; available: string[] }) {
    const found = details.available.length > 0 ? details.available.join(', ') : 'none';
    super(
      'model_variant_missing',
      `Model "${details.model}" has no ${details.dtype} variant (${details.file} not found). Variants found: ${found}.`,
      {
        hint: details.available.length > 0
          ? `Pass dtype: '${details.available[0]}' (or another listed variant).`
          : 'Check the model id and that the repository has ONNX files under onnx/.',
      },
    );
    this.model = details.model;
    this.file = details.file;
    this.dtype = details.dtype;
    this.available = details.available;
  }
}

/** A feed does not match what the graph declares (missing, wrong dtype, wrong rank or size). */
export class InputMismatchError extends WebformersError {
  readonly input: string;
  constructor(input: string, message: string, hint: string) {
    super('input_mismatch', `Input "${input}": ${message}`, { hint });
    this.input = input;
  }
}

/** The runtime failed to create or run a session. */
export class SessionError extends WebformersError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('session_failed', message, { hint, cause });
  }
}
