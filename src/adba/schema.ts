/**
 * Where Active Directory keeps activation objects and what they hold (docs/adba.md §2):
 * class msSPP-ActivationObject under CN=Activation Objects,CN=Microsoft SPP,CN=Services in
 * the forest's Configuration partition, with the Windows Server 2012 schema's attributes.
 */

/** The container's path relative to the Configuration partition's DN. */
export const ACTIVATION_OBJECTS_RDNS = 'CN=Activation Objects,CN=Microsoft SPP,CN=Services';

export const ACTIVATION_OBJECT_CLASS = 'msSPP-ActivationObject';

/** The RootDSE attribute naming the Configuration partition of the bound forest. */
export const CONFIGURATION_NC = 'configurationNamingContext';

/** LDAP display names of the attributes the collector reads. */
export const ATTR = {
  cn: 'cn',
  displayName: 'displayName',
  /** Unicode string: the CSVLK's product ID, in ePID form. */
  csvlkPid: 'msSPP-CSVLKPid',
  /** Octet string, exactly 16 bytes: the SKU ID of the CSVLK, a GUID in Microsoft byte order. */
  csvlkSkuId: 'msSPP-CSVLKSkuId',
  /** Unicode string, exactly 5 characters: the last five of the CSVLK. */
  partialProductKey: 'msSPP-CSVLKPartialProductKey',
  /** Octet string, multi-valued, 16 bytes each: the KMS counted IDs the object enables. */
  kmsIds: 'msSPP-KMSIds',
  whenCreated: 'whenCreated',
  whenChanged: 'whenChanged',
  /**
   * RFC 4512 operational timestamps: a domain controller constructs them from
   * whenCreated/whenChanged, other directories (the OpenLDAP lab) keep only these.
   */
  createTimestamp: 'createTimestamp',
  modifyTimestamp: 'modifyTimestamp',
} as const;

/** What the search asks for: never the license blobs (up to 5 MiB each), which it does not use. */
export const REQUESTED_ATTRIBUTES: readonly string[] = Object.values(ATTR);

/** Attributes whose values are bytes, not text: the client must hand them over as buffers. */
export const BINARY_ATTRIBUTES: readonly string[] = [ATTR.csvlkSkuId, ATTR.kmsIds];
