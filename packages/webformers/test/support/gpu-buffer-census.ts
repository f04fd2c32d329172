/**
 * Live GPUBuffers, counted from the WebGPU API itself, below onnxruntime-web: a page imports this
 * before any library asks for a GPU device, so every buffer created is seen. Used by the e2e pages
 * and the bench pages alike.
 */
interface BufferLike { readonly size: number; destroy(): void }

const liveBuffers = new Map<BufferLike, number>();
const gpuDevice = (globalThis as { GPUDevice?: { prototype: { createBuffer(descriptor: unknown): BufferLike } } }).GPUDevice;
const gpuBuffer = (globalThis as { GPUBuffer?: { prototype: BufferLike } }).GPUBuffer;
if (gpuDevice && gpuBuffer) {
  const createBuffer = gpuDevice.prototype.createBuffer;
  gpuDevice.prototype.createBuffer = function (this: unknown, descriptor: unknown) {
    const buffer = createBuffer.call(this, descriptor);
    liveBuffers.set(buffer, buffer.size);
    return buffer;
  };
  const destroy = gpuBuffer.prototype.destroy;
  gpuBuffer.prototype.destroy = function (this: BufferLike) {
    liveBuffers.delete(this);
    return destroy.call(this);
  };
}

/** GPUBuffers created and not destroyed so far, and their total size in bytes. */
export function liveGpuBuffers(): { count: number; bytes: number } {
  let bytes = 0;
  for (const size of liveBuffers.values()) bytes += size;
  return { count: liveBuffers.size, bytes };
}
