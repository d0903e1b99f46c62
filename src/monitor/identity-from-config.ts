/**
 * The client identity every command presents, from the configuration's `identity` key.
 * One mapping for `serve`, `check` and `coverage`: a host counts each CMID once, so a
 * command that ignored a configured CMID would count the monitor as a second client.
 */
import type { Config } from '../config/schema.js';
import { resolveIdentity, type KmsIdentity } from '../kms/client/index.js';

export function identityFromConfig(config: Pick<Config, 'identity'>): KmsIdentity {
  return resolveIdentity({
    ...(config.identity.cmid ? { cmid: config.identity.cmid } : {}),
    ...(config.identity.workstation ? { workstation: config.identity.workstation } : {}),
  });
}
