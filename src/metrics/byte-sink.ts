/**
 * Bytes written straight into large Buffers, for the exposition text: at 10,000 hosts the
 * state's text is ~35 MiB in ~316,000 lines, and building it as JavaScript strings first
 * (a line per series, joined, then encoded by Buffer.from) spent most of a render in the
 * garbage collector and in UTF-8 encoding (docs/performance.md). Here a render is copies
 * of label bytes encoded once and the digits of each value.
 *
 * Callers `reserve` the most bytes the next writes can take, then write without checks.
 */

/** Big enough that a render makes a handful of chunks, small enough to waste little. */
export const CHUNK_BYTES = 4 << 20;
/** Longer sources go through TypedArray#set; shorter ones are copied byte by byte (cheaper). */
const SET_ABOVE = 48;
/** The longest text a finite double takes in JavaScript's shortest form ("-1.2345678901234567e-308"). */
export const MAX_NUMBER_BYTES = 24;

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const LETTER_N = 0x6e;

/**
 * How long free chunks wait for the next render before they are let go. A render happens
 * only when a scrape follows a change of state, so the renders that reuse chunks come in
 * bursts: the scrapes during a round (every result moves the state), several scrapers
 * asking together. Between bursts — most of every `interval`, 30 s by default — the free
 * chunks, as many as a render fills (24 MiB at 3,000 domains × 2 hosts), are resident for
 * nothing: with 30 s here they never went, as rounds and scrapes came more often than
 * that. 5 s keeps them through a burst of scrapes a few seconds apart and gives them back
 * long before the next round; the render after a release allocates fresh chunks once.
 * (Given back to the OS only where glibc maps such buffers on their own: the shipped
 * units' MALLOC_MMAP_THRESHOLD_, docs/deployment.md.)
 */
const IDLE_RELEASE_MS = 5_000;

/**
 * Chunks of a body no one reads any more, for the next render to write into: at 10,000
 * hosts a render fills ~9 chunks, and 36 MiB of fresh buffers per render made V8 run a
 * full collection of the whole heap every second render ("external memory pressure").
 * Only the owner of a body knows when it is no longer sent (cached-render.ts).
 * It keeps no more free chunks than the last render used (what the next one will need
 * when the estate is the same size; fewer after a reload shrank it), and none after
 * `idleMs` without a render.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];
  /** Pool-sized chunks the last finished render used (ByteSink.finish); `keep` until one did. */
  private lastUsed: number;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly chunkBytes = CHUNK_BYTES,
    /** Free chunks kept at most (more are left to the garbage collector). */
    private readonly keep = 24,
    private readonly idleMs = IDLE_RELEASE_MS,
  ) {
    this.lastUsed = keep;
  }

  take(atLeast: number): Buffer {
    if (atLeast > this.chunkBytes) return Buffer.allocUnsafe(atLeast);
    return this.free.pop() ?? Buffer.allocUnsafe(this.chunkBytes);
  }

  /** A render finished, having taken `chunks` pool-sized chunks. */
  used(chunks: number): void {
    this.lastUsed = chunks;
    this.free.length = Math.min(this.free.length, this.limit());
  }

  /** The chunks of a finished body (ByteSink.finish), none of them read again by anyone. */
  give(chunks: readonly Buffer[]): void {
    const limit = this.limit();
    for (const c of chunks) {
      if (this.free.length >= limit) break;
      if (c.byteOffset === 0 && c.buffer.byteLength === this.chunkBytes)
        this.free.push(Buffer.from(c.buffer, 0, this.chunkBytes));
    }
    if (this.free.length > 0) this.releaseWhenIdle();
  }

  /**
   * Lets every free chunk go now: no render is coming soon (a round ended and its body is
   * built), so holding them until the idle timer fires is resident memory for nothing.
   * Chunks given back later (a body still being sent) are kept for `idleMs` as usual.
   */
  drain(): void {
    this.free.length = 0;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Free chunks held now (for the tests and the bench). */
  get size(): number {
    return this.free.length;
  }

  private limit(): number {
    return Math.min(this.keep, this.lastUsed);
  }

  /** Restarted by every give: the chunks go once no render has come for `idleMs`. */
  private releaseWhenIdle(): void {
    if (this.idleTimer) this.idleTimer.refresh();
    else {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        this.free.length = 0;
      }, this.idleMs);
      // A pool never keeps the process alive.
      this.idleTimer.unref();
    }
  }
}

export class ByteSink {
  private readonly chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  /** Bytes in `chunks`. */
  private done = 0;
  private readonly pool: ChunkPool;
  /** Chunks of the pool's size taken so far (the pool sizes itself by the last render's). */
  private taken = 1;

  /** `pool`: where chunks come from; a pool of its own (fresh chunks) if none. */
  constructor(pool: ChunkPool | number = CHUNK_BYTES) {
    this.pool = typeof pool === 'number' ? new ChunkPool(pool, 0) : pool;
    this.buf = this.pool.take(0);
  }

  /** Room for `n` more bytes in the current chunk (a new chunk if they do not fit). */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > 0) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.done += this.pos;
    }
    this.buf = this.pool.take(n);
    if (n <= this.pool.chunkBytes) this.taken++;
    this.pos = 0;
  }

  byte(code: number): void {
    this.buf[this.pos++] = code;
  }

  bytes(source: Uint8Array): void {
    const n = source.length;
    const buf = this.buf;
    let p = this.pos;
    if (n > SET_ABOVE) buf.set(source, p);
    else for (let i = 0; i < n; i++) buf[p + i] = source[i]!;
    p += n;
    this.pos = p;
  }

  /** `text` as UTF-8: reserve 3 bytes per UTF-16 unit (the most one encodes to). */
  text(text: string): void {
    const buf = this.buf;
    let p = this.pos;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: the rest through Node's encoder, which pairs surrogates as UTF-8 must.
        this.pos = p + buf.write(text.slice(i), p, 'utf8');
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /**
   * A label value, escaped as exposition.ts escapeLabelValue does (backslash, newline and
   * `"`) while it is copied: reserve 3 bytes per UTF-16 unit, plus 1 per escape (2 at most).
   */
  labelValue(value: string): void {
    const buf = this.buf;
    let p = this.pos;
    const n = value.length;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.text(escapeLabelValue(value.slice(i)));
        return;
      }
      if (c === BACKSLASH || c === QUOTE) {
        buf[p++] = BACKSLASH;
        buf[p++] = c;
      } else if (c === NEWLINE) {
        buf[p++] = BACKSLASH;
        buf[p++] = LETTER_N;
      } else buf[p++] = c;
    }
    this.pos = p;
  }

  /**
   * A sample value as prom-client writes it (exposition.ts formatValue): the integers
   * most samples are (0, 1, counts, ports) as digits here, the rest as JavaScript writes them.
   */
  number(value: number): void {
    if (value >= 0 && value <= 0xffffffff && Number.isInteger(value)) {
      const buf = this.buf;
      let v = value;
      let digits = 1;
      for (let t = 10; t <= v; t *= 10) digits++;
      const end = this.pos + digits;
      let p = end;
      do {
        buf[--p] = 48 + (v % 10);
        v = Math.floor(v / 10);
      } while (v > 0);
      this.pos = end;
      return;
    }
    this.text(formatValue(value));
  }

  /** A number as a label value: as JavaScript writes it (ports, builds, priorities). */
  labelNumber(value: number): void {
    if (value >= 0 && value <= 0xffffffff && Number.isInteger(value)) this.number(value);
    else this.text(`${value}`);
  }

  /** How many bytes were written so far. */
  get written(): number {
    return this.done + this.pos;
  }

  /**
   * The bytes written, in order; the sink is not to be written after this. `alsoHeld`:
   * pool-sized chunks of earlier renders still in use, counted with this one's as what a
   * render needs (kept-families.ts).
   */
  finish(alsoHeld = 0): Buffer[] {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    else {
      this.pool.give([this.buf]);
      this.taken--;
    }
    this.pool.used(this.taken + alsoHeld);
    this.pos = 0;
    this.buf = Buffer.alloc(0);
    return this.chunks;
  }
}

const NEEDS_ESCAPE = /[\\\n"]/;

/** A label value as the exposition format quotes it: backslash, newline and `"` escaped. */
export function escapeLabelValue(value: string): string {
  return NEEDS_ESCAPE.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
    : value;
}

/** A sample value as prom-client writes it (`Nan`, `+Inf`, `-Inf`, else JavaScript's). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}
