/**
 * The KMS protocol versions: the major version of a request (the minor is always 0) that
 * clients send and hosts serve (docs/protocol.md §3-4). Products, the client's fallback,
 * results and the configuration all use this one type.
 */
export const KMS_PROTOCOL_VERSIONS = [4, 5, 6] as const;

export type KmsProtocolVersion = (typeof KMS_PROTOCOL_VERSIONS)[number];

export function isKmsProtocolVersion(value: unknown): value is KmsProtocolVersion {
  return (KMS_PROTOCOL_VERSIONS as readonly unknown[]).includes(value);
}

/** The oldest version, where a client's fallback stops (docs/protocol.md §5.4). */
export const OLDEST_KMS_PROTOCOL: KmsProtocolVersion = KMS_PROTOCOL_VERSIONS[0];
