/**
 * One client connection to the lab KMS host: cuts the byte stream into PDUs (bounded by
 * RpcFramer), answers bind / alter-context / request in order, applies the configured delays
 * and faults, and owns every timer it starts so closing the connection leaves nothing behind.
 *
 * A hostile client cannot crash or bloat it: every decode failure closes the connection,
 * PDUs are capped in size and in number waiting, and a client that does not read its
 * answers is dropped once a small write backlog builds up.
 */
import type net from 'node:net';
import { randomInt } from 'node:crypto';
import { bind, alterContext } from '../kms/rpc/index.js';
import { bindAck, alterContextResp } from '../kms/rpc/index.js';
import { bindNak } from '../kms/rpc/index.js';
import {
  DREP_LITTLE_ENDIAN,
  FAULT_STATUS,
  PFC,
  PFC_FIRST_LAST,
  PTYPE,
  RPC_VERSION,
  RPC_VERSION_MINOR,
} from '../kms/rpc/index.js';
import { fault as faultPdu } from '../kms/rpc/index.js';
import { RpcFramer } from '../kms/rpc/index.js';
import { header } from '../kms/rpc/index.js';
import type { RpcHeader } from '../kms/rpc/index.js';
import { requestStub, responseStub } from '../kms/rpc/index.js';
import { answerBindContexts, routeRequest } from '../kms/rpc/index.js';
import type { NdrSyntax } from '../kms/rpc/index.js';
import { request as requestPdu } from '../kms/rpc/index.js';
import { response as responsePdu } from '../kms/rpc/index.js';
import {
  DEFAULT_DRIP_INTERVAL_MS,
  DEFAULT_FAULT_CODES,
  badBytes,
  faultHitsBind,
  isBadBytesMode,
  makeUndecryptable,
  makeUnverifiable,
  requestFault,
  wrongCallId,
} from './faults.js';
import type { LabHostConfig } from './host-config.js';
import type { KmsDecision } from './kms-answer.js';
import type { LabHostStats } from './stats.js';

/** The BTFN features the lab supports, as vlmcsd: security-context multiplexing | keep connection. */
const SUPPORTED_BTFN_FEATURES = 0x03;
/** PDUs received but not yet answered (a client pipelining more than this is dropped). */
const MAX_QUEUED_PDUS = 16;
/** Unsent answer bytes tolerated before a client that does not read is dropped. */
const MAX_WRITE_BACKLOG = 64 * 1024;

/** What a session needs from its host. */
export interface SessionHost {
  readonly port: number;
  readonly maxPduSize: number;
  readonly idleTimeoutMs: number;
  readonly stats: LabHostStats;
  config(): LabHostConfig;
  decide(payload: Uint8Array): KmsDecision;
  /** Counts the client and returns the response payload. */
  answer(decision: Extract<KmsDecision, { kind: 'accept' }>): Buffer;
}

export class LabKmsSession {
  private readonly framer: RpcFramer;
  private readonly queue: Buffer[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wakers = new Set<() => void>();
  /** Presentation contexts accepted on this connection: id → stub syntax. */
  private readonly contexts = new Map<number, NdrSyntax>();
  private assocGroupId = 0;
  private busy = false;
  private closed = false;
  /** Ending after an answer (closeAfterAnswer): the FIN is on its way, nothing more is read. */
  private ending = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly host: SessionHost,
    private readonly onClose: (session: LabKmsSession) => void,
  ) {
    this.framer = new RpcFramer({ maxPduSize: host.maxPduSize });
  }

  start(): void {
    const { socket } = this;
    socket.setNoDelay(true);
    socket.setTimeout(this.host.idleTimeoutMs, () => this.destroy());
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.cleanup());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const acceptDelay = this.host.config().delays.accept;
    if (acceptDelay > 0) {
      socket.pause();
      this.later(acceptDelay, () => socket.resume());
    }
  }

  /** Closes the connection at once; safe to call repeatedly. */
  destroy(): void {
    if (!this.closed) this.socket.destroy();
    this.cleanup();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const wake of this.wakers) wake();
    this.wakers.clear();
    this.queue.length = 0;
    this.onClose(this);
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Resolves after `ms`, or at once when the connection closes meanwhile. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        this.wakers.delete(wake);
        resolve();
      };
      this.wakers.add(wake);
      this.later(ms, wake);
    });
  }

  private write(bytes: Buffer): void {
    if (this.closed) return;
    this.socket.write(bytes);
    if (this.socket.writableLength > MAX_WRITE_BACKLOG) this.destroy();
  }

  /** Input that is not a usable RPC conversation: drop the connection, as vlmcsd does. */
  private protocolError(): void {
    this.host.stats.protocolErrors++;
    this.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.ending) return;
    // A silent host reads and discards: the client sees an open, mute connection.
    if (this.host.config().fault?.mode === 'silent') return;
    let pdus: Buffer[];
    try {
      pdus = this.framer.push(chunk);
    } catch {
      this.protocolError();
      return;
    }
    this.queue.push(...pdus);
    if (this.queue.length > MAX_QUEUED_PDUS) {
      this.protocolError();
      return;
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (
        let pdu = this.queue.shift();
        pdu !== undefined && !this.closed && !this.ending;
        pdu = this.queue.shift()
      ) {
        await this.handle(pdu);
      }
    } catch {
      // A bug here must cost one connection, never the process.
      this.host.stats.internalErrors++;
      this.destroy();
    } finally {
      this.busy = false;
    }
  }

  private async handle(pdu: Buffer): Promise<void> {
    const h = header.decode(pdu);
    if (
      h.rpcVers !== RPC_VERSION ||
      h.rpcVersMinor !== RPC_VERSION_MINOR ||
      h.drep !== DREP_LITTLE_ENDIAN ||
      h.authLength !== 0 ||
      (h.pfcFlags & PFC_FIRST_LAST) !== PFC_FIRST_LAST
    ) {
      this.protocolError();
      return;
    }
    switch (h.ptype) {
      case PTYPE.bind:
      case PTYPE.alterContext:
        await this.handleBind(pdu, h);
        return;
      case PTYPE.request:
        await this.handleRequest(pdu, h);
        return;
      default:
        this.protocolError();
    }
  }

  private async handleBind(pdu: Buffer, h: RpcHeader): Promise<void> {
    const isBind = h.ptype === PTYPE.bind;
    let offer;
    try {
      offer = (isBind ? bind : alterContext).decode(pdu);
    } catch {
      this.protocolError();
      return;
    }
    const config = this.host.config();
    const fault = config.fault;
    const { results, accepted } = answerBindContexts(offer.contexts, {
      ndr64: config.ndr64,
      btfnFeatures: config.btfn ? SUPPORTED_BTFN_FEATURES : null,
    });
    if (isBind && this.assocGroupId === 0)
      this.assocGroupId = offer.assocGroupId || randomInt(1, 0x7fffffff);
    const ack = (isBind ? bindAck : alterContextResp).encode({
      callId: h.callId,
      // vlmcsd echoes the client's concurrent-multiplex bit on the bind_ack only.
      pfcFlags: PFC_FIRST_LAST | (isBind ? offer.pfcFlags & PFC.concurrentMultiplex : 0),
      maxXmitFrag: offer.maxXmitFrag,
      maxRecvFrag: offer.maxRecvFrag,
      // A configured group (py-kms's constant) overrides both the client's and our own.
      assocGroupId: config.associationGroup ?? this.assocGroupId,
      // The bind_ack names the port; vlmcsd's alter_context_resp leaves sec_addr empty.
      secAddr: isBind ? String(this.host.port) : '',
      results,
    });
    await this.sleep(config.delays.bindAck);
    if (fault !== null && faultHitsBind(fault)) {
      this.host.stats.faultsServed++;
      if (fault.mode === 'bind_nak') {
        this.write(
          bindNak.encode({
            callId: h.callId,
            rejectReason: fault.code ?? DEFAULT_FAULT_CODES.bind_nak ?? 0,
          }),
        );
      } else {
        this.write(badBytes(fault, ack, PTYPE.bindAck, h.callId));
      }
      return;
    }
    for (const [id, syntax] of accepted) this.contexts.set(id, syntax);
    this.write(ack);
  }

  private rpcFault(h: RpcHeader, contextId: number, status: number): void {
    this.host.stats.rpcFaults++;
    // vlmcsd: FIRST|LAST|DID_NOT_EXECUTE, alloc_hint = PDU length (the encoder's defaults).
    this.write(faultPdu.encode({ callId: h.callId, contextId, status }));
  }

  private async handleRequest(pdu: Buffer, h: RpcHeader): Promise<void> {
    let call;
    try {
      call = requestPdu.decode(pdu);
    } catch {
      this.protocolError();
      return;
    }
    this.host.stats.requests++;
    // A context never accepted → nca_s_unk_if; another opnum → op_rng_error.
    const route = routeRequest(call, this.contexts);
    if (route.kind === 'fault') {
      this.rpcFault(h, call.contextId, route.status);
      return;
    }
    const syntax = route.syntax;
    let payload: Buffer;
    try {
      payload = requestStub(syntax).decode(call.stub).payload;
    } catch {
      this.rpcFault(h, call.contextId, FAULT_STATUS.bad_stub_data);
      return;
    }

    const config = this.host.config();
    const decision = this.host.decide(payload);
    const fault = requestFault(config.fault, decision.product?.slug ?? null);
    if (fault !== null) this.host.stats.faultsServed++;

    if (fault?.mode === 'close_after_bind') {
      this.destroy();
      return;
    }
    if (fault?.mode === 'fault_pdu') {
      await this.sleep(config.delays.response);
      this.rpcFault(h, call.contextId, fault.code ?? DEFAULT_FAULT_CODES.fault_pdu ?? 0);
      return;
    }

    let stubPayload: Buffer | null = null;
    let hresult = 0;
    if (fault?.mode === 'hresult') {
      hresult = fault.code ?? DEFAULT_FAULT_CODES.hresult ?? 0;
      this.host.stats.refusals++;
    } else if (decision.kind === 'refuse') {
      hresult = decision.hresult;
      this.host.stats.refusals++;
    } else {
      stubPayload = this.host.answer(decision);
      this.host.stats.responses++;
      if (fault?.mode === 'undecryptable') stubPayload = makeUndecryptable(stubPayload);
      if (fault?.mode === 'unverifiable') stubPayload = makeUnverifiable(stubPayload);
    }

    const callId = fault?.mode === 'wrong_call_id' ? wrongCallId(h.callId) : h.callId;
    const answer = responsePdu.encode({
      callId,
      contextId: call.contextId,
      stub: responseStub(syntax).encode({ payload: stubPayload, hresult }),
    });
    await this.sleep(config.delays.response);
    if (fault?.mode === 'slow_drip') {
      this.drip(answer, 0, fault.intervalMs ?? DEFAULT_DRIP_INTERVAL_MS);
    } else if (fault !== null && isBadBytesMode(fault.mode)) {
      this.write(badBytes(fault, answer, PTYPE.response, h.callId));
    } else {
      this.write(answer);
      if (config.closeAfterAnswer) this.endAfterWrite();
    }
  }

  /**
   * Closes once the answer is flushed, as an emulator that serves one request per
   * connection does: end() sends the answer and a FIN; the socket's close event (or the
   * idle timer, or host.close()) then cleans up.
   */
  private endAfterWrite(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.queue.length = 0;
    this.socket.end();
  }

  /** Sends `bytes` one at a time, `intervalMs` apart; stops when the connection closes. */
  private drip(bytes: Buffer, from: number, intervalMs: number): void {
    if (from >= bytes.length || this.closed) return;
    this.write(bytes.subarray(from, from + 1));
    this.later(intervalMs, () => this.drip(bytes, from + 1, intervalMs));
  }
}
