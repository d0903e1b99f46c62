/**
 * Whether an ePID could come from a genuine host (docs/trust.md, docs/coverage.md): its
 * parts must agree with each other and with the product it answered. The facts are the
 * coverage model's, asked through the same functions the coverage matrix uses.
 */
import {
  csvlkCovers,
  csvlkHostableOn,
  isKnownCsvlkGroup,
  keyInstallDateVerdict,
  type ProductRef,
} from '../coverage/index.js';
import { expectedPlatformId, tryParseEpid } from '../epid.js';
import { trustResult, type TrustCheckResult, type TrustVerdict } from './verdict.js';

export interface EpidAnswer {
  /** The product the request asked for and the host answered. */
  product: ProductRef & { builtIn: boolean };
  epid: string;
}

interface Problem {
  verdict: Exclude<TrustVerdict, 'pass' | 'not_run'>;
  text: string;
}

/** What is wrong with one answer's ePID; empty when its parts agree. */
export function epidProblems(answer: EpidAnswer, now: Date): Problem[] {
  const { product } = answer;
  const epid = tryParseEpid(answer.epid);
  if (epid === null) return [{ verdict: 'failed', text: `ePID ${answer.epid} does not parse` }];
  const out: Problem[] = [];
  const platform = expectedPlatformId(epid.hostBuild);
  if (platform !== null && platform !== epid.platformId) {
    out.push({
      verdict: 'failed',
      text: `platform ID ${epid.platformId} does not belong to build ${epid.hostBuild} (${platform} does)`,
    });
  }
  if (epid.channel !== 3) {
    out.push({ verdict: 'failed', text: `channel ${epid.channel}, where a host key has 03` });
  }
  const key = epid.csvlk;
  if (key === null) {
    out.push({
      verdict: 'suspicious',
      text: isKnownCsvlkGroup(epid.groupId)
        ? `key ID ${epid.keyId} is in no known host key block of group ${epid.groupId}`
        : `group ${epid.groupId} is no known host key group`,
    });
    return out;
  }
  if (product.counter !== null && key.application !== product.counter) {
    out.push({
      verdict: 'failed',
      text: `${product.name} was answered with the ${key.name} host key, which serves another application`,
    });
  } else if (product.builtIn && csvlkCovers(key, product).status === 'not-covered') {
    // A custom product is one the table does not know: which keys cover it is unknown.
    out.push({
      verdict: 'failed',
      text: `the ${key.name} host key does not cover ${product.name}`,
    });
  }
  const hosting = csvlkHostableOn(key, epid.hostBuild);
  if (hosting.status === 'no') {
    out.push({
      verdict: 'failed',
      text: `the ${key.name} host key cannot be installed on build ${epid.hostBuild}${hosting.os ? ` (${hosting.os.name})` : ''}`,
    });
  }
  const date = keyInstallDateVerdict(epid.keyInstallDate, key, epid.hostBuild, now);
  if (date.status !== 'plausible') {
    out.push({ verdict: 'suspicious', text: `key install date: ${date.reason}` });
  }
  return out;
}

export function epidConsistency(answers: readonly EpidAnswer[], now: Date): TrustCheckResult {
  if (answers.length === 0) return trustResult('epid_consistency', 'not_run', 'no ePID answered');
  const problems = answers.flatMap((a) =>
    epidProblems(a, now).map((p) => ({ ...p, text: `${a.product.slug}: ${p.text}` })),
  );
  if (problems.length === 0) {
    return trustResult(
      'epid_consistency',
      'pass',
      `${answers.length === 1 ? 'the ePID agrees' : `${answers.length} ePIDs agree`} with build, key and product`,
    );
  }
  const verdict = problems.some((p) => p.verdict === 'failed') ? 'failed' : 'suspicious';
  return trustResult('epid_consistency', verdict, problems.map((p) => p.text).join('; '));
}
