/**
 * A bounds-checked little-endian cursor over one PDU. Every read is checked against `end`
 * (the PDU's frag_length, not the buffer's length), so a decoder built on it cannot read
 * past the PDU or out of the buffer, and every failure is a KmsDecodeError('malformed').
 */
import { KmsDecodeError } from '../errors.js';
import { guid } from '../guid.js';

export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
    private readonly what: string,
  ) {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end < start ||
      end > buf.length
    ) {
      throw new KmsDecodeError(
        'malformed',
        `${what}: bad bounds ${start}..${end} of ${buf.length}`,
      );
    }
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes lie inside the PDU. */
  need(n: number, field: string): void {
    if (!Number.isInteger(n) || n < 0 || n > this.end - this.pos) {
      throw new KmsDecodeError(
        'malformed',
        `${this.what}: ${field} needs ${n} bytes at offset ${this.pos}, PDU has ${this.end - this.pos} left`,
      );
    }
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++] as number;
  }

  u16(field: string): number {
    this.need(2, field);
    const b = this.buf;
    const v = (b[this.pos] as number) | ((b[this.pos + 1] as number) << 8);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const b = this.buf;
    const p = this.pos;
    const v =
      ((b[p] as number) |
        ((b[p + 1] as number) << 8) |
        ((b[p + 2] as number) << 16) |
        ((b[p + 3] as number) << 24)) >>>
      0;
    this.pos += 4;
    return v;
  }

  guid(field: string): string {
    this.need(16, field);
    const text = guid.decode(this.buf, this.pos);
    this.pos += 16;
    return text;
  }

  /** A copy of the next `n` bytes; `n` is checked before anything is allocated. */
  bytes(n: number, field: string): Buffer {
    this.need(n, field);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** Skips to the next multiple of `align`, counted from `origin` (the PDU's first byte). */
  alignFrom(origin: number, align: number, field: string): void {
    const pad = (align - ((this.pos - origin) % align)) % align;
    this.skip(pad, field);
  }
}
