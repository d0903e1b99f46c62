/**
 * NDR marshalling of the single KMS method,
 *   RequestActivation([in] requestSize, [in, size_is(requestSize)] byte request[],
 *                     [out] responseSize, [out, size_is(, responseSize)] byte **response)
 * in NDR32 and NDR64 (docs/protocol.md §2.4, §2.5).
 *
 * Request stub:  size, conformant max count (= size), payload.        NDR32 u32s, NDR64 u64s.
 * Response stub: size, unique-pointer referent, max count, payload, u32 return value;
 *                refused: size 0, null referent, u32 HRESULT.
 *
 * The return value after a payload whose length is not a multiple of 4 sits at the next
 * multiple of 4 in Microsoft's NDR ('aligned', what vlmcs reads) but directly after the
 * payload in vlmcsd ('packed'); both exist in the captures. For a success both read 0.
 */
import { KmsDecodeError } from '../errors.js';
import { ByteReader } from './reader.js';
import { defineCodec } from './codec.js';
import type { Codec } from './codec.js';

export type NdrSyntax = 'ndr32' | 'ndr64';

/** Where an encoder puts the return value after the payload. */
export type ReturnValueLayout = 'aligned' | 'packed';

export interface RequestStub {
  payload: Buffer;
}

export interface ResponseStub {
  /**
   * The KMS response payload; null when the host refused (null pointer). A null payload with
   * hresult 0 decodes too: the caller should treat that as a malformed answer.
   */
  payload: Buffer | null;
  /**
   * The method's return value as an unsigned 32-bit HRESULT (0 on success). With a payload
   * it is informational (docs/protocol.md §2.5): where both layouts fit, the aligned position
   * is read.
   */
  hresult: number;
}

export interface ResponseStubInit {
  payload: Uint8Array | null;
  hresult?: number;
  /** Default 'aligned' (Microsoft NDR); 'packed' reproduces vlmcsd for tests of the decoder. */
  layout?: ReturnValueLayout;
}

/** The referent vlmcsd and Windows put in a non-null unique pointer. */
export const UNIQUE_POINTER_REFERENT = 0x00020000;

/**
 * No KMS payload comes near this; a size field beyond it is refused before anything is
 * read or copied, whatever the PDU claims.
 */
export const MAX_STUB_PAYLOAD = 0xffff;

const align4 = (n: number): number => (n + 3) & ~3;

interface IntWidth {
  /** Bytes per integer field: 4 in NDR32, 8 in NDR64. */
  readonly size: number;
  /** A size or count; NDR64 values beyond 32 bits cannot be a KMS length. */
  read(r: ByteReader, field: string): number;
  /** A unique pointer's referent: only zero versus non-zero matters. */
  readIsNonZero(r: ByteReader, field: string): boolean;
  write(buf: Buffer, value: number, offset: number): number;
}

const U32: IntWidth = {
  size: 4,
  read: (r, field) => r.u32(field),
  readIsNonZero: (r, field) => r.u32(field) !== 0,
  write: (buf, value, offset) => buf.writeUInt32LE(value, offset),
};

const U64: IntWidth = {
  size: 8,
  read(r, field) {
    const low = r.u32(field);
    if (r.u32(field) !== 0) throw new KmsDecodeError('malformed', `NDR64 ${field} exceeds 32 bits`);
    return low;
  },
  readIsNonZero(r, field) {
    const low = r.u32(field);
    const high = r.u32(field);
    return low !== 0 || high !== 0;
  },
  write(buf, value, offset) {
    buf.writeUInt32LE(value, offset);
    return buf.writeUInt32LE(0, offset + 4);
  },
};

function width(syntax: NdrSyntax): IntWidth {
  return syntax === 'ndr64' ? U64 : U32;
}

function checkSize(size: number, what: string): void {
  if (size > MAX_STUB_PAYLOAD) {
    throw new KmsDecodeError(
      'malformed',
      `${what}: payload size ${size} exceeds ${MAX_STUB_PAYLOAD}`,
    );
  }
}

/** Decodes the stub from `offset` to the end of `buf` (pass the request PDU's stub). */
export interface RequestStubCodec extends Codec<RequestStub, { payload: Uint8Array }> {
  readonly syntax: NdrSyntax;
}

function makeRequestStub(syntax: NdrSyntax): RequestStubCodec {
  const w = width(syntax);
  const what = `${syntax} request stub`;
  return {
    syntax,
    ...defineCodec<RequestStub, { payload: Uint8Array }>({
      encodingLength: (value) => 2 * w.size + value.payload.length,
      write(value, out, offset) {
        let p = w.write(out, value.payload.length, offset);
        p = w.write(out, value.payload.length, p);
        out.set(value.payload, p);
      },
      read(buf, offset) {
        const r = new ByteReader(buf, offset, buf.length, what);
        const size = w.read(r, 'requestSize');
        const maxCount = w.read(r, 'max_count');
        checkSize(size, what);
        if (maxCount !== size) {
          throw new KmsDecodeError('malformed', `${what}: max count ${maxCount} != size ${size}`);
        }
        // Bytes after the array (alignment padding) are allowed and ignored.
        return { payload: r.bytes(size, 'request') };
      },
    }),
  };
}

/** Decodes the stub from `offset` to the end of `buf` (pass the response PDU's stub). */
export interface ResponseStubCodec extends Codec<ResponseStub, ResponseStubInit> {
  readonly syntax: NdrSyntax;
}

function makeResponseStub(syntax: NdrSyntax): ResponseStubCodec {
  const w = width(syntax);
  const what = `${syntax} response stub`;
  const head = 3 * w.size; // size, referent, max count

  return {
    syntax,
    ...defineCodec<ResponseStub, ResponseStubInit>({
      encodingLength: (value) =>
        value.payload === null ? 2 * w.size + 4 : align4(head + value.payload.length) + 4,

      write(value, out, offset, length) {
        const hresult = (value.hresult ?? 0) >>> 0;
        if (value.payload === null) {
          let p = w.write(out, 0, offset);
          p = w.write(out, 0, p);
          out.writeUInt32LE(hresult, p);
          return;
        }
        const payload = value.payload;
        let p = w.write(out, payload.length, offset);
        p = w.write(out, UNIQUE_POINTER_REFERENT, p);
        p = w.write(out, payload.length, p);
        out.set(payload, p);
        p += payload.length;
        // Both layouts fill the same length; only where the 4 bytes of the value sit differs.
        out.fill(0, p, offset + length);
        const at = value.layout === 'packed' ? p : offset + align4(head + payload.length);
        out.writeUInt32LE(hresult, at);
      },

      read(buf, offset) {
        const r = new ByteReader(buf, offset, buf.length, what);
        const size = w.read(r, 'responseSize');
        if (!w.readIsNonZero(r, 'referent')) {
          // Refusal: no array follows the null pointer, only the return value.
          return { payload: null, hresult: r.u32('return value') };
        }
        const maxCount = w.read(r, 'max_count');
        checkSize(size, what);
        if (maxCount !== size) {
          throw new KmsDecodeError('malformed', `${what}: max count ${maxCount} != size ${size}`);
        }
        const payload = r.bytes(size, 'response');
        // Prefer the NDR-aligned position; fall back to vlmcsd's packed one if the stub is
        // too short for it. Either way the value must be present.
        const packedAt = r.pos;
        const alignedAt = offset + align4(packedAt - offset);
        const at = alignedAt + 4 <= buf.length ? alignedAt : packedAt;
        r.pos = at;
        const hresult = r.u32('return value');
        return { payload, hresult };
      },
    }),
  };
}

export const ndr32RequestStub: RequestStubCodec = makeRequestStub('ndr32');
export const ndr64RequestStub: RequestStubCodec = makeRequestStub('ndr64');
export const ndr32ResponseStub: ResponseStubCodec = makeResponseStub('ndr32');
export const ndr64ResponseStub: ResponseStubCodec = makeResponseStub('ndr64');

export function requestStub(syntax: NdrSyntax): RequestStubCodec {
  return syntax === 'ndr64' ? ndr64RequestStub : ndr32RequestStub;
}

export function responseStub(syntax: NdrSyntax): ResponseStubCodec {
  return syntax === 'ndr64' ? ndr64ResponseStub : ndr32ResponseStub;
}
