/**
 * A test-only KMS client for the lab host, built straight on the message and RPC codecs
 * (independent of src/kms/client): a raw connection that collects every byte received,
 * and an exchange helper that binds (NDR32-only or vlmcs's 3-context bind with the
 * alter-context dance), sends one request per product and decodes the answers.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  alterContextResp,
  bindAck,
  buildNdr32AlterContext,
  buildNdr32Bind,
  buildVlmcsBind,
  chooseContext,
  decodePdu,
  ndr32BindContexts,
  request,
  requestStub,
  responseStub,
  vlmcsBindContexts,
} from '../../src/kms/rpc/index.js';
import type { AnyPdu, NdrSyntax } from '../../src/kms/rpc/index.js';
import {
  decodeClientResponse,
  encodeClientRequest,
  makeBaseRequest,
} from '../../src/kms/messages/index.js';
import type { KmsResponse, BaseRequestInput } from '../../src/kms/messages/index.js';

export class TestConnection {
  private buffer = Buffer.alloc(0);
  private consumed = 0;
  closed = false;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TestConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TestConnection(socket));
      });
    });
  }

  /** Every byte received so far. */
  get received(): Buffer {
    return this.buffer;
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves when `condition()` holds, rejects after `timeoutMs`. */
  waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  waitClosed(timeoutMs = 2000): Promise<void> {
    return this.waitUntil(() => this.closed, timeoutMs, 'close');
  }

  /** The next whole PDU (by frag_length) after the ones already read. */
  async readPdu(timeoutMs = 2000): Promise<Buffer> {
    const available = (): number => this.buffer.length - this.consumed;
    const fragLength = (): number => this.buffer.readUInt16LE(this.consumed + 8);
    await this.waitUntil(
      () => available() >= 10 && available() >= fragLength(),
      timeoutMs,
      'a PDU',
    );
    const pdu = this.buffer.subarray(this.consumed, this.consumed + fragLength());
    this.consumed += pdu.length;
    return Buffer.from(pdu);
  }

  async readDecoded(timeoutMs = 2000): Promise<AnyPdu> {
    return decodePdu(await this.readPdu(timeoutMs)).pdu;
  }
}

export interface ProductLike {
  applicationId: string;
  kmsCountedId: string;
  skuId: string;
  nPolicy: number;
  protocol: number;
}

export interface ExchangeOptions {
  /** 'ndr32' (default): the monitor's one-context bind; 'vlmcs': 3 contexts + alter-context. */
  bind?: 'ndr32' | 'vlmcs';
  /** After a vlmcs bind, call on the NDR64 context instead of asking for NDR32 again. */
  useNdr64?: boolean;
  cmid?: string;
  protocol?: number;
  request?: Partial<BaseRequestInput>;
}

export interface ExchangeResult {
  /** The verified answer, or null when the host refused. */
  response: KmsResponse | null;
  hresult: number;
  syntax: NdrSyntax;
  callId: number;
}

/** Binds on `conn`; returns the context id and syntax to call with. */
export async function bindOn(
  conn: TestConnection,
  mode: 'ndr32' | 'vlmcs',
  useNdr64 = false,
): Promise<{ contextId: number; syntax: NdrSyntax }> {
  conn.send(mode === 'vlmcs' ? buildVlmcsBind() : buildNdr32Bind());
  const ack = bindAck.decode(await conn.readPdu());
  const offered = mode === 'vlmcs' ? vlmcsBindContexts() : ndr32BindContexts();
  const decision = chooseContext(offered, ack.results);
  if (decision.kind === 'ndr32') return { contextId: decision.contextId, syntax: 'ndr32' };
  if (decision.kind !== 'ndr64') throw new Error(`bind refused: ${decision.detail}`);
  if (useNdr64) return { contextId: decision.contextId, syntax: 'ndr64' };
  conn.send(buildNdr32AlterContext({ contextId: decision.ndr32ContextId ?? 0 }));
  const resp = alterContextResp.decode(await conn.readPdu());
  const again = chooseContext(ndr32BindContexts(), resp.results);
  if (again.kind !== 'ndr32') throw new Error('alter-context refused');
  return { contextId: again.contextId, syntax: 'ndr32' };
}

/** Sends one KMS request on an already bound connection and decodes the answer. */
export async function requestOn(
  conn: TestConnection,
  bound: { contextId: number; syntax: NdrSyntax },
  product: ProductLike,
  options: ExchangeOptions & { callId?: number } = {},
): Promise<ExchangeResult> {
  const base = makeBaseRequest({
    protocol: options.protocol ?? product.protocol,
    applicationId: product.applicationId,
    skuId: product.skuId,
    kmsCountedId: product.kmsCountedId,
    cmid: options.cmid ?? randomUUID(),
    nPolicy: product.nPolicy,
    workstation: 'lab-test.kms-monitor.test',
    ...options.request,
  });
  const encoded = encodeClientRequest(base);
  const callId = options.callId ?? 2;
  conn.send(
    request.encode({
      callId,
      contextId: bound.contextId,
      stub: requestStub(bound.syntax).encode({ payload: encoded.payload }),
    }),
  );
  const answer = await conn.readDecoded();
  if (answer.type !== 'response') throw new Error(`got ${answer.type}, expected a response`);
  const stub = responseStub(bound.syntax).decode(answer.stub);
  const response =
    stub.payload === null ? null : decodeClientResponse(stub.payload, encoded.context);
  return { response, hresult: stub.hresult, syntax: bound.syntax, callId: answer.callId };
}

/** Connect, bind, one request, close. */
export async function exchange(
  port: number,
  product: ProductLike,
  options: ExchangeOptions = {},
): Promise<ExchangeResult> {
  const conn = await TestConnection.connect(port);
  try {
    const bound = await bindOn(conn, options.bind ?? 'ndr32', options.useNdr64);
    return await requestOn(conn, bound, product, options);
  } finally {
    conn.close();
  }
}
