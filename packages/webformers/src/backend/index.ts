export type { Device, ResolvedDevice, ModelDType, DTypeOption, TensorInfo, ModelSession, SessionCreateOptions, InferenceBackend, DeviceTensor, SessionValue } from './types.js';
export { isDeviceTensor } from './types.js';
export { DTYPE_SUFFIX, MODEL_DTYPES, isModelDType, onnxFileName, resolveSessionDTypes } from './dtypes.js';
export { resolveDevice, assertDTypeRunnable } from './device.js';
export { selectFeeds } from './feeds.js';
export { DeviceUnavailableError, ModelVariantError, InputMismatchError, SessionError } from './errors.js';
export { OrtBackend, ortBackend, liveDeviceTensorCount } from './ort-backend.js';
export { loadSession, type LoadSessionOptions } from './load-session.js';
