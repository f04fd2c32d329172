import { describe, expect, it } from 'vitest';
import { Tensor } from '../utils/tensor.js';
import { encodeOnnxModel } from './onnx-proto.js';
import { ortBackend } from './ort-backend.js';

describe('ONNX protobuf writer', () => {
  it('writes a model onnxruntime parses: fixed and symbolic dims, dtypes, node attributes', async () => {
    const bytes = encodeOnnxModel({
      irVersion: 8,
      opsetVersion: 13,
      graphName: 'probe',
      nodes: [{ opType: 'Softmax', inputs: ['x'], outputs: ['y'], intAttributes: { axis: 0 } }],
      inputs: [{ name: 'x', dtype: 'float32', dims: [2, 'width'] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [2, 'width'] }],
    });
    const session = await ortBackend.createSession(bytes, { device: 'wasm' });
    expect(session.inputs).toEqual([{ name: 'x', dtype: 'float32', dims: [2, 'width'] }]);
    // axis 0 reached the node: each column sums to 1, which the default axis (-1) would not give.
    const { y } = await session.run({ x: new Tensor('float32', Float32Array.of(0, 1, 2, 0, 0, 3), [2, 3]) });
    const [a, b] = [Array.from(y.data as Float32Array).slice(0, 3), Array.from(y.data as Float32Array).slice(3)];
    a.forEach((v, col) => expect(v + b[col]).toBeCloseTo(1, 6));
    expect(a[0]).toBeCloseTo(0.5, 6);
    await session.release();
  });
});
