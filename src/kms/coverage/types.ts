/** The shapes of the coverage model's tables (docs/coverage.md). */
import type { HostOsId } from '../host-os.js';
import type { CounterName } from '../products/index.js';
import type { CoverageSourceId } from './sources.js';

/**
 * customer: a host key an organisation can install; azure-only: activated by Azure, never
 * a KMS host; internal-lab / lab: Microsoft's own lab keys, not sold (a lab key may cover
 * retail groups, docs/coverage.md §5).
 */
export type CsvlkKind = 'customer' | 'azure-only' | 'internal-lab' | 'lab';

/** An inclusive key ID block within the CSVLK's group. */
export type KeyBlock = readonly [low: number, high: number];

/** A release the key can be installed on, optionally from a given build on (Windows 7 SP1). */
export type HostSpec = HostOsId | { os: HostOsId; minBuild: number };

/**
 * A source's answer as lists, for a rule whose items (releases, product groups) it names:
 * what it leaves open, and the answer for every item it does not name.
 */
interface ListedRule<Item, Otherwise> {
  /** Items the source is silent or ambiguous about (for rules whose default is the negative one). */
  unknown?: readonly Item[];
  /** Every other item: the negative answer when the source's list is complete. */
  otherwise: Otherwise;
  sources: readonly CoverageSourceId[];
}

export interface HostingRule extends ListedRule<HostOsId, 'no' | 'unknown'> {
  allowed: readonly HostSpec[];
  /** Releases a source names as unable to host it (for rules whose default is unknown). */
  denied?: readonly HostOsId[];
}

export interface CoverageRule extends ListedRule<string, 'not-covered' | 'unknown'> {
  /** Product slugs (docs/protocol.md §6.2) this key activates. */
  covers: readonly string[];
  /** Product slugs it does not activate, for rules whose default is unknown. */
  notCovered?: readonly string[];
}

export interface OfficePack {
  /** 'Office LTSC 2024 Volume License Pack'. */
  name: string;
  /** The Microsoft Download Center page; null when the sources give none. */
  url: string | null;
}

export interface Csvlk {
  /** Stable id: 'windows-server-2019', 'office-ltsc-2024'. */
  id: string;
  /** 'Windows Server 2019', 'Office LTSC 2024'. */
  name: string;
  /** Which client count the key serves (docs/protocol.md §6.1). */
  application: CounterName;
  kind: CsvlkKind;
  groupId: number;
  /** Key ID blocks in the group; 'whole-group' when the sources give none. */
  keyBlocks: readonly KeyBlock[] | 'whole-group';
  /** General availability of the key (ISO date); null when the sources give none. */
  releasedOn: string | null;
  hosting: HostingRule;
  coverage: CoverageRule;
  /** Office keys: the Volume License Pack the host needs first. */
  pack?: OfficePack;
  /** Where the group and key range come from. */
  sources: readonly CoverageSourceId[];
}
