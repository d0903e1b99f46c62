/**
 * Cuts a TCP byte stream into whole DCE/RPC PDUs by their frag_length (docs/protocol.md §1:
 * TCP may split or coalesce PDUs). push() takes reads of any size and returns the PDUs they
 * complete, each in its own Buffer.
 *
 * Bounded: a frag_length below 16 or above the maximum PDU size (default 8 KiB, while a KMS
 * PDU is under 400 bytes) throws KmsDecodeError('malformed') once; the framer then drops all
 * further input, so a caller that forgets to close the socket gets nothing more rather than
 * another exception in its 'data' handler. It never holds more than one partial PDU, i.e.
 * fewer than the maximum size.
 */
import { KmsDecodeError } from '../errors.js';
import { HEADER_LENGTH } from './constants.js';

export const DEFAULT_MAX_PDU_SIZE = 8 * 1024;

/** frag_length is a u16 at offset 8: 10 bytes are enough to know a PDU's size. */
const LENGTH_KNOWN_AT = 10;

export interface RpcFramerOptions {
  /** Largest acceptable frag_length, 16..65535; default 8192. */
  maxPduSize?: number;
}

export class RpcFramer {
  readonly maxPduSize: number;
  private readonly head = Buffer.alloc(LENGTH_KNOWN_AT);
  private headFilled = 0;
  /** The PDU being assembled once its length is known. */
  private current: Buffer | null = null;
  private currentFilled = 0;
  private failure: KmsDecodeError | null = null;

  constructor(options: RpcFramerOptions = {}) {
    const max = options.maxPduSize ?? DEFAULT_MAX_PDU_SIZE;
    if (!Number.isInteger(max) || max < HEADER_LENGTH || max > 0xffff) {
      throw new RangeError(`maxPduSize must be an integer in 16..65535, got ${max}`);
    }
    this.maxPduSize = max;
  }

  /** The error that stopped the framer, or null while it is healthy. */
  get error(): KmsDecodeError | null {
    return this.failure;
  }

  /** Bytes of an incomplete PDU held back; non-zero at end of stream means a truncated PDU. */
  get bufferedBytes(): number {
    return this.current === null ? this.headFilled : this.currentFilled;
  }

  push(chunk: Uint8Array): Buffer[] {
    if (this.failure !== null) return [];
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.current === null) {
        const take = Math.min(LENGTH_KNOWN_AT - this.headFilled, chunk.length - pos);
        this.head.set(chunk.subarray(pos, pos + take), this.headFilled);
        this.headFilled += take;
        pos += take;
        if (this.headFilled < LENGTH_KNOWN_AT) break;
        this.startPdu();
      }
      const pdu = this.current as Buffer;
      const take = Math.min(pdu.length - this.currentFilled, chunk.length - pos);
      pdu.set(chunk.subarray(pos, pos + take), this.currentFilled);
      this.currentFilled += take;
      pos += take;
      if (this.currentFilled === pdu.length) {
        out.push(pdu);
        this.current = null;
        this.currentFilled = 0;
        this.headFilled = 0;
      }
    }
    return out;
  }

  /** Called with the first 10 bytes in `head`: checks frag_length, then allocates the PDU. */
  private startPdu(): void {
    const fragLength = this.head.readUInt16LE(8);
    if (fragLength < HEADER_LENGTH || fragLength > this.maxPduSize) {
      this.failure = new KmsDecodeError(
        'malformed',
        `RPC frag_length ${fragLength} outside ${HEADER_LENGTH}..${this.maxPduSize}`,
      );
      this.headFilled = 0;
      throw this.failure;
    }
    // Safe: fragLength was just bounded by maxPduSize.
    this.current = Buffer.alloc(fragLength);
    this.head.copy(this.current, 0);
    this.currentFilled = LENGTH_KNOWN_AT;
  }
}
