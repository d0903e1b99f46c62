/**
 * The abstract-encoding shape every codec of this folder has (as in dns-packet): `encode`
 * writes into the caller's buffer at `offset`, or into a new one sized by `encodingLength`,
 * and returns it; `decode` reads from `offset`. A codec supplies only how long a value is,
 * how to write it and how to read it.
 */
export interface Codec<Value, Init> {
  encodingLength(value: Init): number;
  encode(value: Init, buf?: Buffer, offset?: number): Buffer;
  decode(buf: Uint8Array, offset?: number): Value;
}

export interface CodecParts<Value, Init> {
  encodingLength(value: Init): number;
  /** Writes `value` (`length` bytes, as encodingLength said) at `offset` of `out`. */
  write(value: Init, out: Buffer, offset: number, length: number): void;
  read(buf: Uint8Array, offset: number): Value;
}

export function defineCodec<Value, Init>(parts: CodecParts<Value, Init>): Codec<Value, Init> {
  const { encodingLength, write, read } = parts;
  return {
    encodingLength,
    encode(value, buf, offset = 0) {
      const length = encodingLength(value);
      const out = buf ?? Buffer.alloc(length + offset);
      write(value, out, offset, length);
      return out;
    },
    decode: (buf, offset = 0) => read(buf, offset),
  };
}
