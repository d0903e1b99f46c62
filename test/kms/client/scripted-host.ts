/**
 * A tiny scripted RPC peer on 127.0.0.1 for the client paths the lab host does not take:
 * a host refusing NDR32, a non-KMS RPC service, one request per connection, answers echoing
 * the wrong CMID, call id 1, unsolicited PDUs. Each received PDU goes to the script, which
 * answers with the helpers below.
 */
import net from 'node:net';
import { decodeServerRequest, encodeServerResponse } from '../../../src/kms/messages/index.js';
import type { RequestContext } from '../../../src/kms/messages/index.js';
import {
  CONTEXT_RESULT,
  NDR32_SYNTAX,
  NDR64_SYNTAX,
  NIL_SYNTAX,
  PTYPE,
  RpcFramer,
  alterContextResp,
  bindAck,
  header,
  request,
  requestStub,
  response,
  responseStub,
} from '../../../src/kms/rpc/index.js';
import type { ContextResult, NdrSyntax } from '../../../src/kms/rpc/index.js';

export interface ScriptedConnection {
  /** 0 for the first connection the host accepted, 1 for the next... */
  readonly index: number;
  /** PDUs received on this connection before the current one. */
  readonly received: number;
  send(bytes: Buffer): void;
  close(): void;
}

export type Script = (pdu: Buffer, ptype: number, connection: ScriptedConnection) => void;

export interface ScriptedHost {
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Shaped like the lab host's, so the leak check can wait for this side to close. */
  stats(): { activeConnections: number };
  close(): Promise<void>;
}

export async function startScriptedHost(script: Script): Promise<ScriptedHost> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    const index = accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const framer = new RpcFramer();
    let received = 0;
    const connection = {
      index,
      get received() {
        return received;
      },
      send: (bytes: Buffer) => void socket.write(bytes),
      close: () => socket.destroy(),
    };
    socket.on('data', (chunk: Buffer) => {
      for (const pdu of framer.push(chunk)) {
        script(pdu, header.decode(pdu).ptype, connection);
        received++;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections: () => accepted,
    stats: () => ({ activeConnections: sockets.size }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const accept = (syntax: NdrSyntax): ContextResult => ({
  result: CONTEXT_RESULT.acceptance,
  reason: 0,
  transferSyntax: syntax === 'ndr64' ? NDR64_SYNTAX : NDR32_SYNTAX,
});

export const reject = (reason: number): ContextResult => ({
  result: CONTEXT_RESULT.providerRejection,
  reason,
  transferSyntax: NIL_SYNTAX,
});

export function ackBind(pdu: Buffer, results: ContextResult[], assocGroupId = 0): Buffer {
  const codec = header.decode(pdu).ptype === PTYPE.alterContext ? alterContextResp : bindAck;
  return codec.encode({
    callId: header.decode(pdu).callId,
    secAddr: '1688',
    results,
    assocGroupId,
  });
}

export interface AnswerOptions {
  syntax?: NdrSyntax;
  callId?: number;
  /** Change what the answer echoes (e.g. another CMID → 'mismatch'). */
  context?: (context: RequestContext) => RequestContext;
  /** Answer with this HRESULT and no payload. */
  hresult?: number;
}

/** A valid (or deliberately altered) answer to a request PDU, as a KMS host builds it. */
export function answerRequest(pdu: Buffer, options: AnswerOptions = {}): Buffer {
  const syntax = options.syntax ?? 'ndr32';
  const call = request.decode(pdu);
  const payload = requestStub(syntax).decode(call.stub).payload;
  const decoded = decodeServerRequest(payload);
  const context = options.context ? options.context(decoded.context) : decoded.context;
  const answer =
    options.hresult === undefined
      ? encodeServerResponse(context, {
          epid: '03612-00206-556-123727-03-1033-17763.0000-2972018',
          hwid: '3A1C049600B60076',
          activeClients: 7,
          activationIntervalMinutes: 120,
          renewalIntervalMinutes: 10080,
        })
      : null;
  return response.encode({
    callId: options.callId ?? call.callId,
    contextId: call.contextId,
    stub: responseStub(syntax).encode({ payload: answer, hresult: options.hresult ?? 0 }),
  });
}
