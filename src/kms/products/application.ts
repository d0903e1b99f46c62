/**
 * Application IDs (docs/protocol.md §6.1): the three applications a KMS host keeps separate
 * client counts for. Windows clients and servers share one count.
 */
import type { CounterName } from './types.js';

export const APPLICATION_IDS = {
  windows: '55c92734-d682-4d71-983e-d6ec3f16059f',
  office2010: '59a52881-a989-479d-af46-f275c6370663',
  /** Office 2013, 2016, 2019, LTSC 2021 and LTSC 2024. */
  office2013Plus: '0ff1ce15-a989-479d-af46-f275c6370663',
} as const;

const COUNTERS: ReadonlyMap<string, CounterName> = new Map<string, CounterName>([
  [APPLICATION_IDS.windows, 'windows'],
  [APPLICATION_IDS.office2010, 'office-2010'],
  [APPLICATION_IDS.office2013Plus, 'office-2013+'],
]);

/** 'windows' | 'office-2010' | 'office-2013+' for a known application ID, else null. */
export function counterForApplicationId(applicationId: string): CounterName | null {
  return COUNTERS.get(applicationId.toLowerCase()) ?? null;
}
