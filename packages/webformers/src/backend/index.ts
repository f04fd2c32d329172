export type { Device, ResolvedDevice, ModelDType, DTypeRequest, DTypeOption, ModelChoice, AdapterSummary, TensorInfo, ModelSession, SessionCreateOptions, InferenceBackend, DeviceTensor, SessionValue } from './types.js';
export { isDeviceTensor } from './types.js';
export { DTYPE_SUFFIX, MODEL_DTYPES, isModelDType, onnxFileName, resolveSessionDTypes } from './dtypes.js';
export { resolveDevice, assertDTypeRunnable, describeAdapter } from './device.js';
export { chooseModelVariants, preferredDTypes, type ChoiceRequest } from './variant-choice.js';
export { selectFeeds } from './feeds.js';
export { DeviceUnavailableError, ModelVariantError, InputMismatchError, SessionError } from './errors.js';
export { OrtBackend, ortBackend, liveDeviceTensorCount } from './ort-backend.js';
export { loadSession, type LoadSessionOptions } from './load-session.js';
