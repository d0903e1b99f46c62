/** Counters of what the lab KMS host has done, for tests and the demo. */
export interface LabHostStats {
  /** TCP connections accepted. */
  connections: number;
  /** Connections open now. */
  activeConnections: number;
  /** Request PDUs received (answered, refused or faulted). */
  requests: number;
  /** Requests answered with a KMS response payload (the client was counted). */
  responses: number;
  /** Requests answered with an HRESULT (0xC004F042, 0x8007000D, a fault's code...). */
  refusals: number;
  /** Fault PDUs sent (unknown context, bad opnum, bad stub, or the fault_pdu mode). */
  rpcFaults: number;
  /** Times a configured fault mode changed an answer. */
  faultsServed: number;
  /** Connections dropped for input that is no usable RPC (bad frame, header, PDU). */
  protocolErrors: number;
  /** Connections dropped because of a bug in the lab (should stay 0). */
  internalErrors: number;
}

export function emptyStats(): LabHostStats {
  return {
    connections: 0,
    activeConnections: 0,
    requests: 0,
    responses: 0,
    refusals: 0,
    rpcFaults: 0,
    faultsServed: 0,
    protocolErrors: 0,
    internalErrors: 0,
  };
}
