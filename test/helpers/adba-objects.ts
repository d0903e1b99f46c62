// A lab activation object (src/lab/adba/sample-objects.ts) as the LDAP entry AD would
// return, and decoded: for tests of what is done with objects, without a directory.
import { decodeActivationObject, type AdbaObject } from '../../src/adba/index.js';
import { guid } from '../../src/kms/guid.js';
import type { LabActivationObject } from '../../src/lab/adba/sample-objects.js';

export function labEntry(
  o: LabActivationObject,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    dn: `CN=${o.cn},CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=corp`,
    cn: o.cn,
    displayName: o.displayName,
    'msSPP-CSVLKPid': o.pid,
    'msSPP-CSVLKSkuId': guid.encode(o.skuId),
    'msSPP-CSVLKPartialProductKey': o.partialProductKey,
    'msSPP-KMSIds': o.kmsIds.map((id) => guid.encode(id)),
    whenCreated: '20240115103000.0Z',
    whenChanged: '20240116080000.0Z',
    ...extra,
  };
}

export function labObject(o: LabActivationObject, extra: Record<string, unknown> = {}): AdbaObject {
  return decodeActivationObject(labEntry(o, extra));
}
