export { Tensor } from './utils/tensor.js';
export type { DataType, TensorData } from './utils/tensor.js';
export { WebformersError, InvalidArgumentError, NotSupportedError } from './utils/errors.js';
