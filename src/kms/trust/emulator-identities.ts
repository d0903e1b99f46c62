/**
 * Identities public KMS emulators send when run with their defaults (docs/trust.md,
 * "Known emulator identities", with the sources). A genuine host's hardware ID is its own
 * and its ePID comes from its host key, so meeting one of these means an emulator answers.
 */

export interface KnownIdentity {
  value: string;
  /** Which emulator sends it, for the evidence line. */
  source: string;
}

/** Built-in default hardware IDs (16 hex digits, as the v6 response carries them). */
export const EMULATOR_HWIDS: readonly KnownIdentity[] = [
  { value: '3A1C049600B60076', source: 'vlmcsd built-in default (also KMS_VL_ALL)' },
  { value: '364F463A8863D35F', source: 'py-kms upstream default' },
];

/** Built-in default ePIDs. */
export const EMULATOR_EPIDS: readonly KnownIdentity[] = [
  {
    value: '55041-00206-567-333897-03-1102-6002.0000-3342021',
    source: 'vlmcsd default ePID (a Windows Server 2019 host key on build 6002)',
  },
];

/**
 * The association group py-kms returns in every bind_ack of every deployment; a genuine
 * host picks its own per association.
 */
export const EMULATOR_ASSOCIATION_GROUPS: readonly { value: number; source: string }[] = [
  { value: 0x1063bf3f, source: 'py-kms (constant in every bind_ack)' },
];

export function knownHwid(hwid: string | null): KnownIdentity | undefined {
  if (hwid === null) return undefined;
  const upper = hwid.toUpperCase();
  return EMULATOR_HWIDS.find((k) => k.value === upper);
}

export function knownEpid(epid: string | null): KnownIdentity | undefined {
  if (epid === null) return undefined;
  return EMULATOR_EPIDS.find((k) => k.value === epid.trim());
}
