/** The authenticity checks of each KMS host (docs/trust.md), one sample per check that ran. */
import type { TrustVerdict } from '../../kms/trust/index.js';
import { HOSTS } from '../state-scrape.js';

const VALUE: Record<Exclude<TrustVerdict, 'not_run'>, number> = {
  pass: 0,
  suspicious: 1,
  failed: 2,
};

export const HOST_TRUST_CHECK = HOSTS.labelledGauge({
  name: 'kms_host_trust_check',
  help: "The verdict of each authenticity check of the KMS host in the latest sweep (docs/trust.md): 0 pass, 1 suspicious, 2 failed (no genuine host answers so); a check that could not run has no sample. The evidence is in /api/v1/status and on the host's page.",
  labels: ['check'],
  samples({ host }, emit) {
    for (const c of host.trust?.checks ?? []) {
      if (c.verdict !== 'not_run') emit([c.check], VALUE[c.verdict]);
    }
  },
});
