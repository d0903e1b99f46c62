/**
 * Starts listening on a `[host]:port` address. An empty host (`:9688`) means every
 * interface: IPv6 and IPv4 where the machine has IPv6, IPv4 alone where it does not.
 */
import type { FastifyInstance } from 'fastify';
import { parseHostPort } from '../config/address.js';

export async function listen(app: FastifyInstance, address: string): Promise<string> {
  const { host, port } = parseHostPort(address, 9688, { allowEmptyHost: true });
  if (host !== '') return app.listen({ host, port });
  try {
    return await app.listen({ host: '::', port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL') throw err;
    return app.listen({ host: '0.0.0.0', port });
  }
}
