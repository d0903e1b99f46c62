/**
 * The coverage model (docs/coverage.md): which KMS host key (CSVLK) an ePID names, what each
 * key activates and where it can be installed, the updates older hosts need, and the
 * verdict per host and product group. Pure data and functions, shared by the coverage matrix
 * and the trust checks.
 */
export type {
  Csvlk,
  CsvlkKind,
  CoverageRule,
  HostingRule,
  HostSpec,
  KeyBlock,
  OfficePack,
} from './types.js';
export { COVERAGE_SOURCES, type CoverageSourceId } from './sources.js';
export { CSVLKS } from './csvlk-table.js';
export {
  csvlkCovers,
  csvlkHostableOn,
  csvlkHostableOnOs,
  csvlkServesApplication,
  decodeCsvlk,
  findCsvlk,
  hostableReleases,
  isKnownCsvlkGroup,
  type CoverageFact,
  type CoverageStatus,
  type HostingFact,
  type HostingStatus,
  type ProductRef,
} from './csvlk-facts.js';
export { HOST_UPDATES, requiredUpdate, type HostUpdate } from './host-updates.js';
export {
  RELEASE_GRACE_DAYS,
  keyInstallDateVerdict,
  type InstallDateVerdict,
} from './install-date.js';
export {
  hostProfile,
  keyHostKind,
  type HostProbes,
  type HostProfile,
  type ProbeOutcome,
} from './host-profile.js';
export { coveringKeys, planFix, type Fix } from './fix.js';
export {
  coverageMatrix,
  coverageVerdict,
  type CoverageMatrix,
  type CoverageVerdict,
  type PredictedOutcome,
  type RefusalReason,
} from './verdict.js';
