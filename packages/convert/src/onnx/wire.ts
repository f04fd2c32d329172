/**
 * Protocol-buffers wire format: just what the ONNX messages need. Reading hands out views
 * into the source buffer (weights are never copied); writing collects parts and joins them
 * once, so a nested message costs one pass however deep it sits.
 */
import { OnnxFormatError } from '../errors.js';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

export interface FieldHeader {
  field: number;
  wire: number;
  /** Offset of the tag, so a field can be kept byte-for-byte when it is not understood. */
  start: number;
}

export class ProtoReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    private readonly what = 'model',
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  header(): FieldHeader {
    const start = this.pos;
    const tag = this.varint();
    return { field: Math.floor(tag / 8), wire: tag & 7, start };
  }

  /** A varint that fits in a double exactly (tags, lengths, enums, dims, small ints). */
  varint(): number {
    let result = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * factor;
      if (byte < 0x80) return result;
      factor *= 128;
    }
    throw this.corrupt('varint longer than 10 bytes');
  }

  /** A 64-bit varint as a signed bigint (ONNX int64 attributes use INT64_MAX as "to the end"). */
  varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    throw this.corrupt('varint longer than 10 bytes');
  }

  bytes(): Uint8Array {
    const length = this.varint();
    this.need(length);
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  string(): string {
    return textDecoder.decode(this.bytes());
  }

  float32(): number {
    this.need(4);
    const value = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return value;
  }

  /** A sub-reader over a length-delimited field. */
  message(): ProtoReader {
    const length = this.varint();
    this.need(length);
    const sub = new ProtoReader(this.buf, this.pos, this.pos + length, this.what);
    this.pos += length;
    return sub;
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LENGTH:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw this.corrupt(`wire type ${wire} (groups are not used by ONNX)`);
    }
  }

  /** Skips the field whose header was just read and returns all of its bytes, tag included. */
  keep(header: FieldHeader): Uint8Array {
    this.skip(header.wire);
    return this.buf.subarray(header.start, this.pos);
  }

  /** Repeated scalars arrive packed (one length-delimited run) or one per tag; both are legal. */
  repeated<T>(wire: number, one: () => T, into: T[]): void {
    if (wire !== WIRE_LENGTH) {
      into.push(one());
      return;
    }
    const length = this.varint();
    const end = this.pos + length;
    this.need(length);
    while (this.pos < end) into.push(one());
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw this.corrupt('truncated field');
  }

  private corrupt(why: string): OnnxFormatError {
    return new OnnxFormatError({
      what: this.what,
      detail: `${why} at byte ${this.pos}`,
      hint: 'The file is not a complete ONNX protobuf; download it again or check that it is not a Git LFS pointer.',
    });
  }
}

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/** Scratch space for small writes; big byte fields are referenced, not copied. */
const SCRATCH = 64 * 1024;
const EMPTY = new Uint8Array(0);

export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private scratch = new Uint8Array(SCRATCH);
  private used = 0;
  private flushedLength = 0;

  get length(): number {
    return this.flushedLength + this.used;
  }

  tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  varintField(field: number, value: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
  }

  bytesField(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_LENGTH);
    this.rawVarint(value.length);
    this.raw(value);
  }

  stringField(field: number, value: string): void {
    this.bytesField(field, textEncoder.encode(value));
  }

  float32Field(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    this.room(4);
    new DataView(this.scratch.buffer, this.scratch.byteOffset).setFloat32(this.used, value, true);
    this.used += 4;
  }

  /** Packed repeated varints (ONNX declares its typed data fields packed). */
  packedVarints(field: number, values: ArrayLike<number | bigint>): void {
    this.messageField(field, () => {
      for (let i = 0; i < values.length; i++) this.rawVarint(values[i]);
    });
  }

  packedFixed(field: number, bytes: Uint8Array): void {
    this.bytesField(field, bytes);
  }

  raw(bytes: Uint8Array): void {
    if (bytes.length <= 256) {
      this.room(bytes.length);
      this.scratch.set(bytes, this.used);
      this.used += bytes.length;
      return;
    }
    this.pushPart(bytes);
  }

  rawVarint(value: number | bigint): void {
    this.room(10);
    if (typeof value === 'number' && value >= 0 && value < 2 ** 53) {
      let v = value;
      while (v >= 0x80) {
        this.scratch[this.used++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
      this.scratch[this.used++] = v;
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.scratch[this.used++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.scratch[this.used++] = Number(v);
  }

  /** Parts in order; callers that stream to a file can write them without joining. */
  finishParts(): Uint8Array[] {
    this.flush();
    return this.parts;
  }

  /**
   * A length-delimited field whose length is known only once written. The contents go into
   * this same writer after an empty slot in the part list, and the length fills the slot at
   * the end: no copy, and no per-message buffer, however deep the message sits.
   */
  messageField(field: number, write: (w: ProtoWriter) => void): void {
    this.tag(field, WIRE_LENGTH);
    this.flush();
    const slot = this.parts.length;
    this.parts.push(EMPTY);
    const start = this.length;
    write(this);
    this.flush();
    const contentLength = this.length - start;
    this.rawVarint(contentLength);
    this.parts[slot] = this.scratch.subarray(0, this.used);
    this.flushedLength += this.used;
    this.scratch = this.scratch.subarray(this.used);
    this.used = 0;
  }

  private pushPart(part: Uint8Array): void {
    this.flush();
    this.parts.push(part);
    this.flushedLength += part.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.parts.push(this.scratch.subarray(0, this.used));
    this.flushedLength += this.used;
    this.scratch = this.scratch.subarray(this.used);
    this.used = 0;
  }

  private room(n: number): void {
    if (this.scratch.length - this.used >= n) return;
    this.flush();
    this.scratch = new Uint8Array(Math.max(SCRATCH, n));
  }
}
