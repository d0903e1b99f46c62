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
const EMPTY = Buffer.alloc(0);

/** Whether `b` is the whole of its memory (a fresh read), not a view into shared bytes. */
function ownsMemory(b: Buffer): boolean {
  return b.byteOffset === 0 && b.buffer.byteLength === b.length;
}

export class PduReader {
  private pending: Buffer = EMPTY;
  private failure: KmsDecodeError | null = null;

  constructor(readonly maxPduSize: number = DEFAULT_MAX_PDU_SIZE) {}

  /** Bytes of an incomplete PDU held back. */
  get buffered(): number {
    return this.pending.length;
  }

  /**
   * The PDUs this chunk completes, none sharing memory with anything else. Throws
   * KmsDecodeError('malformed'), then stays failed. The reader keeps a view of `chunk` until
   * its PDU is complete, so the caller hands the chunk over (a socket's 'data' chunks are
   * fresh per read): a chunk that owns its memory and is exactly one PDU is returned as it
   * is, any other PDU is copied once, and nothing is concatenated unless TCP split a PDU.
   */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failure !== null) throw this.failure;
    this.pending =
      this.pending.length === 0 ? asBuffer(chunk) : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const length = this.checkHead();
      if (length === null || this.pending.length < length) break;
      if (this.pending.length === length && ownsMemory(this.pending)) {
        // A read that is exactly one PDU (the usual case) is that PDU: no copy.
        out.push(this.pending);
        this.pending = EMPTY;
        break;
      }
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
    this.pending = EMPTY;
    throw this.failure;
  }
}
