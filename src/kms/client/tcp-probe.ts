/**
 * probeTcp: is anything listening on the host's KMS port? Connect, then close at once: no
 * KMS bytes, so it is cheap, registers nothing on the host and can run more often than the
 * full probe. Never rejects; the socket is closed and the timer cleared before it resolves.
 */
import { RpcConnection } from './connection.js';
import { Deadline } from './deadline.js';
import { asProbeFailure } from './failure.js';
import { roundSeconds } from './build-result.js';
import type { ProbeTarget, TcpProbeOptions } from './options.js';
import type { TcpProbeResult } from './result.js';

export async function probeTcp(
  target: ProbeTarget,
  options: TcpProbeOptions,
): Promise<TcpProbeResult> {
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const base = { host: target.host, port: target.port };
  try {
    // The connect step of the KMS client, so both probes name failures the same way.
    const connection = await RpcConnection.open(target, {
      connectMs: options.timeoutMs,
      deadline: new Deadline(options.timeoutMs),
      signal: options.signal,
    });
    const durationSeconds = roundSeconds((performance.now() - started) / 1000);
    const address = connection.address;
    await connection.close();
    return {
      ...base,
      address,
      up: true,
      durationSeconds,
      timestamp: now().toISOString(),
      error: null,
    };
  } catch (error) {
    return {
      ...base,
      address: null,
      up: false,
      durationSeconds: roundSeconds((performance.now() - started) / 1000),
      timestamp: now().toISOString(),
      error: asProbeFailure(error, 'connect').toKmsError(),
    };
  }
}
