/**
 * Cuts the bytes a host sends into whole DCE/RPC PDUs (TCP splits and coalesces them), and
 * rejects non-RPC bytes as soon as the first two arrive instead of waiting for a frag_length
 * worth of garbage that may never come: a host that answers with junk is named 'malformed'
 * at once, not 'timeout' seconds later. Bounded: it never holds more than one PDU, and a
 * frag_length above the limit (a KMS PDU is under 400 bytes) is refused before allocating.
 */
import { KmsDecodeError } from '../errors.js';
import { asBuffer } from '../messages/bytes.js';
import {
  DEFAULT_MAX_PDU_SIZE,
  HEADER_LENGTH,
  RPC_VERSION,
  RPC_VERSION_MINOR,
} from '../rpc/index.js';

/** frag_length is the u16 at offset 8. */
const FRAG_LENGTH_END = 10;

export class PduReader {
  private pending: Buffer = Buffer.alloc(0);
  private failure: KmsDecodeError | null = null;

  constructor(readonly maxPduSize: number = DEFAULT_MAX_PDU_SIZE) {}

  /** Bytes of an incomplete PDU held back. */
  get buffered(): number {
    return this.pending.length;
  }

  /**
   * The PDUs this chunk completes (each its own copy). Throws KmsDecodeError('malformed'),
   * then stays failed. The reader keeps a view of `chunk` until its PDU is complete, so the
   * caller hands the chunk over (a socket's 'data' chunks are fresh per read): one copy per
   * PDU instead of two, and no concatenation unless TCP split a PDU.
   */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failure !== null) throw this.failure;
    this.pending =
      this.pending.length === 0 ? asBuffer(chunk) : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const length = this.checkHead();
      if (length === null || this.pending.length < length) break;
      out.push(Buffer.from(this.pending.subarray(0, length)));
      this.pending = this.pending.subarray(length);
    }
    return out;
  }

  /** Checks what is known of the next PDU's header; its length once known, else null. */
  private checkHead(): number | null {
    const p = this.pending;
    if (p.length === 0) return null;
    if (p[0] !== RPC_VERSION || (p.length > 1 && p[1] !== RPC_VERSION_MINOR)) {
      const shown = p.subarray(0, 8).toString('hex');
      return this.fail(`not a DCE/RPC 5.0 PDU (starts with ${shown})`);
    }
    if (p.length < FRAG_LENGTH_END) return null;
    const length = p.readUInt16LE(8);
    if (length < HEADER_LENGTH || length > this.maxPduSize) {
      return this.fail(`RPC frag_length ${length} outside ${HEADER_LENGTH}..${this.maxPduSize}`);
    }
    return length;
  }

  private fail(message: string): never {
    this.failure = new KmsDecodeError('malformed', message);
    this.pending = Buffer.alloc(0);
    throw this.failure;
  }
}
