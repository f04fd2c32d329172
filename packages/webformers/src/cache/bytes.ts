/** Byte helpers of the store: whole-file digests and readable sizes. */

/**
 * Hex SHA-256 of `bytes`, or `undefined` where Web Crypto's `subtle` is missing: browsers only
 * expose it in secure contexts, and a page served over plain http should still get a cache
 * (checked by size alone) rather than none.
 */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `1536` → `'1.5 KiB'`; for messages only. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
