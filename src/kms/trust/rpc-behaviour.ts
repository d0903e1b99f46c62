/**
 * How the host speaks DCE/RPC: genuine hosts pick an association group per association and
 * keep the association open after an activation; one public emulator sends a constant group
 * and closes after every answer.
 */
import { EMULATOR_ASSOCIATION_GROUPS } from './emulator-identities.js';
import { trustResult, type TrustCheckResult } from './verdict.js';

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;

export function associationGroup(group: number | null): TrustCheckResult {
  if (group === null) return trustResult('rpc_association_group', 'not_run', 'no bind_ack');
  const known = EMULATOR_ASSOCIATION_GROUPS.find((g) => g.value === group);
  if (known) {
    return trustResult(
      'rpc_association_group',
      'suspicious',
      `association group ${hex(group)} is the one ${known.source}`,
    );
  }
  return trustResult('rpc_association_group', 'pass', `association group ${hex(group)}`);
}

export interface AssociationUse {
  /** Requests answered on the first connection of the sweep. */
  answeredOnFirst: number;
  /** True when the host closed the connection after an answer and the probe reconnected. */
  closedAfterAnswer: boolean;
}

export function keepsAssociation(use: AssociationUse): TrustCheckResult {
  if (use.closedAfterAnswer) {
    return trustResult(
      'rpc_keeps_association',
      'suspicious',
      `the host closed the connection after ${use.answeredOnFirst === 1 ? 'one answer' : `${use.answeredOnFirst} answers`}: genuine hosts keep the association open`,
    );
  }
  if (use.answeredOnFirst < 2) {
    return trustResult('rpc_keeps_association', 'not_run', 'a single request this sweep');
  }
  return trustResult(
    'rpc_keeps_association',
    'pass',
    `${use.answeredOnFirst} requests answered on one association`,
  );
}
