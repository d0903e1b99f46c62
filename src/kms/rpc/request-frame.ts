/**
 * The bytes of a RequestActivation request PDU around its payload: the common header, the
 * call fields and the NDR stub's size and max count (docs/protocol.md §2.4). For one
 * syntax, context and payload size they are the same in every call but the call id, so
 * they are encoded once by the ordinary codecs and each call copies them (docs/performance.md,
 * KMS client CPU): no stub buffer and PDU buffer built and copied per call.
 */
import { requestStub } from './ndr-stub.js';
import type { NdrSyntax } from './ndr-stub.js';
import { request } from './request.js';
import { BoundedCache } from '../../util/bounded-cache.js';

/** call_id: the u32 at offset 12 of the common header. */
const CALL_ID_AT = 12;

export interface RequestFrame {
  /** Bytes of the whole PDU. */
  readonly length: number;
  /** Where the payload goes in it. */
  readonly payloadAt: number;
  /** A new PDU buffer with everything but the payload written. */
  open(callId: number): Buffer;
}

function buildFrame(syntax: NdrSyntax, contextId: number, payloadSize: number): RequestFrame {
  const stub = requestStub(syntax).encode({ payload: Buffer.alloc(payloadSize) });
  const pdu = request.encode({ callId: 0, contextId, stub });
  const payloadAt = pdu.length - payloadSize;
  return {
    length: pdu.length,
    payloadAt,
    open(callId) {
      const out = Buffer.allocUnsafe(pdu.length);
      pdu.copy(out, 0, 0, payloadAt);
      out.writeUInt32LE(callId >>> 0, CALL_ID_AT);
      return out;
    },
  };
}

/** A handful of shapes in one process (two syntaxes, a few contexts, three payload sizes). */
const FRAMES = new BoundedCache<string, RequestFrame>(64);

export function requestFrame(
  syntax: NdrSyntax,
  contextId: number,
  payloadSize: number,
): RequestFrame {
  const key = `${syntax} ${contextId} ${payloadSize}`;
  return FRAMES.get(key) ?? FRAMES.add(key, buildFrame(syntax, contextId, payloadSize));
}
