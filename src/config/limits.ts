/**
 * Limits and defaults of the configuration that commands need without the schema (and its
 * library) loaded: `probe` parses its own flags with them (docs/performance.md).
 */

/** The port of a KMS host when `hosts` gives none (the port `_vlmcs._tcp` records use). */
export const KMS_PORT = 1688;

/** The longest `timeout`; as `discover --timeout` allows. */
export const MAX_TIMEOUT_MS = 300_000;
