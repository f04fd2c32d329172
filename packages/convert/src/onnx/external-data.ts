/**
 * ONNX external data: tensors whose bytes sit in a side file (`model.onnx_data`) because a
 * protobuf message cannot exceed 2 GB. Reading pulls them into memory; writing moves large
 * tensors out again. No file system here: callers pass a reader (Node files, fetched blobs).
 */
import { ExternalDataError } from '../errors.js';
import { allGraphs, allTensors } from '../graph/walk.js';
import { isExternal, payloadBytes } from './tensor-data.js';
import { DATA_LOCATION_EXTERNAL, type GraphProto, type StringEntry, type TensorProto } from './types.js';

export interface ExternalDataReader {
  /** `length` bytes of the file `location` (relative to the model's folder) from `offset`. */
  read(location: string, offset: number, length: number | undefined): Uint8Array;
}

export interface ExternalDataFile {
  /** File name written into the model, relative to the model file. */
  location: string;
  /** File contents in order; write them one after another. */
  parts: Uint8Array[];
  byteLength: number;
}

/** protobuf's hard limit on one message, which is the whole .onnx file. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;
/** Room left for the graph structure when deciding whether weights must move out. */
const STRUCTURE_MARGIN = 64 * 1024 * 1024;
/** Tensors smaller than this stay inline (what onnx.save_model does by default). */
export const DEFAULT_EXTERNAL_MIN_BYTES = 1024;
/** Offsets are page aligned so runtimes can map tensors straight from the file. */
const ALIGNMENT = 4096;

const KNOWN_KEYS = new Set(['location', 'offset', 'length', 'checksum']);

function entryValue(t: TensorProto, entries: StringEntry[], key: string): string | undefined {
  return entries.find((e) => e.key === key)?.value;
}

function parseCount(t: TensorProto, key: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new ExternalDataError({
      tensor: t.name,
      detail: `external_data ${key} "${value}" is not a byte count`,
      hint: 'Re-save the model with onnx.save_model(..., save_as_external_data=True).',
    });
  }
  return Number(value);
}

/** Loads every external tensor into `rawData`; afterwards the model is self-contained in memory. */
export function resolveExternalData(graph: GraphProto, reader: ExternalDataReader | undefined): void {
  for (const t of allTensors(graph)) {
    if (!isExternal(t)) continue;
    const unknownKey = t.externalData.find((e) => !KNOWN_KEYS.has(e.key));
    if (unknownKey) {
      throw new ExternalDataError({
        tensor: t.name,
        detail: `unknown external_data key "${unknownKey.key}"`,
        hint: 'Only location / offset / length / checksum are understood; re-save the model with the onnx package.',
      });
    }
    const location = entryValue(t, t.externalData, 'location');
    if (!location || location.includes('..') || location.startsWith('/')) {
      throw new ExternalDataError({
        tensor: t.name,
        detail: location ? `external data location "${location}" leaves the model folder` : 'external data without a location',
        hint: 'External data files must sit beside the model file (e.g. model.onnx_data).',
      });
    }
    if (!reader) {
      throw new ExternalDataError({
        tensor: t.name,
        detail: `weights are in the external file "${location}" and no reader was given`,
        hint: 'Pass options.externalData (a reader for files beside the model), or use the CLI, which reads them from disk.',
      });
    }
    const offset = parseCount(t, 'offset', entryValue(t, t.externalData, 'offset')) ?? 0;
    const length = parseCount(t, 'length', entryValue(t, t.externalData, 'length'));
    const bytes = reader.read(location, offset, length);
    if (length !== undefined && bytes.length !== length) {
      throw new ExternalDataError({
        tensor: t.name,
        detail: `"${location}" holds ${bytes.length} bytes at offset ${offset}, ${length} expected`,
        hint: 'The external data file is truncated or belongs to another model; download both files again.',
      });
    }
    t.rawData = bytes;
    t.externalData = [];
    t.dataLocation = undefined;
  }
}

export function inlinePayloadBytes(graph: GraphProto): number {
  let total = 0;
  for (const t of allTensors(graph)) total += payloadBytes(t);
  return total;
}

export function exceedsProtobufLimit(graph: GraphProto): boolean {
  return inlinePayloadBytes(graph) + STRUCTURE_MARGIN > PROTOBUF_LIMIT;
}

/**
 * Moves the raw data of initializers of at least `minBytes` into one external file and
 * points the tensors at it. Only raw_data moves: that is the layout onnx writes.
 */
export function moveToExternalData(graph: GraphProto, location: string, minBytes = DEFAULT_EXTERNAL_MIN_BYTES): ExternalDataFile {
  const parts: Uint8Array[] = [];
  let offset = 0;
  // Constant attributes stay inline: runtimes resolve external data for initializers only.
  for (const t of allGraphs(graph).flatMap((g) => g.initializer)) {
    const data = t.rawData;
    if (!data || data.byteLength < minBytes) continue;
    const aligned = Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
    if (aligned > offset) parts.push(new Uint8Array(aligned - offset));
    parts.push(data);
    t.externalData = [
      { key: 'location', value: location, unknown: [] },
      { key: 'offset', value: String(aligned), unknown: [] },
      { key: 'length', value: String(data.byteLength), unknown: [] },
    ];
    t.dataLocation = DATA_LOCATION_EXTERNAL;
    t.rawData = undefined;
    offset = aligned + data.byteLength;
  }
  return { location, parts, byteLength: offset };
}
