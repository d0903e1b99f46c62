/**
 * Where each fact of the coverage model comes from. Every table row names one or more of
 * these ids; docs/coverage.md §1 lists them with the same text.
 */

export const COVERAGE_SOURCES = {
  /** Microsoft: KMS activation planning (which CSVLK is hosted on what and activates what; host updates). */
  'WSD-PLAN': 'https://learn.microsoft.com/windows-server/get-started/kms-activation-planning',
  /** Microsoft: configure a KMS host for Office (host OS minimums, Volume License Packs). */
  'ODO-HOST':
    'https://learn.microsoft.com/office/volume-license-activation/configure-a-kms-host-computer-for-office',
  /** Microsoft Office engineering blog, 2009: Office 2010 KMS hosts (not Server 2008 or Vista). */
  'OFFICE-2010-BLOG':
    'Microsoft Office engineering blog, 2009, "Office 2010 KMS host" (quoted in docs/coverage.md)',
  /** kmsrsos research findings: Microsoft pkeyconfig decoded (groups, key ranges, release dates, builds). */
  KMSRSOS: 'https://github.com/schlarpc/kmsrsos/blob/main/docs/research-findings.md',
  /** kmsrsos product data: Microsoft licence files decoded (KMS counted IDs per CSVLK). */
  'KMSRSOS-DB': 'https://github.com/schlarpc/kmsrsos/blob/main/crates/kmsrs-db/data/products.toml',
  /** py-kms's product database (docs/protocol.md [PYKMS]). */
  PYKMS: 'https://github.com/Py-KMS-Organization/py-kms (py-kms/KmsDataBase.xml)',
  /** A rule the model derives from the sourced rows; docs/coverage.md §4 states each one. */
  INFERRED: 'derived by kms-monitor from the rows above (docs/coverage.md §4)',
} as const;

export type CoverageSourceId = keyof typeof COVERAGE_SOURCES;
