/**
 * The lab forest's directory content: the partition skeleton Active Directory has above the
 * activation objects, a read-only account for the monitor, and two activation objects — one
 * as Windows writes it for a Windows Server 2019 CSVLK, one as the public forging script
 * writes it (docs/adba.md §4). The genuine-looking one's SKU ID and key digits are lab
 * values, not a real CSVLK's.
 */
import { guid } from '../../kms/guid.js';
import { findProduct } from '../../kms/products/index.js';
import { ACTIVATION_OBJECTS_RDNS } from '../../adba/index.js';

export interface LabActivationObject {
  /** The RDN value (AD names objects after the CSVLK PID's middle part). */
  cn: string;
  displayName: string;
  pid: string;
  skuId: string;
  partialProductKey: string;
  kmsIds: readonly string[];
}

export interface LabReader {
  dn: string;
  password: string;
}

const idOf = (slug: string): string => {
  const product = findProduct(slug);
  if (product === undefined) throw new Error(`no product ${slug}`);
  return product.kmsCountedId;
};

/** What a Windows Server 2019 CSVLK's object holds: Windows groups only, up to Server 2019. */
export const GENUINE_LOOKING_OBJECT: LabActivationObject = Object.freeze({
  cn: '00206-556-123456-0',
  displayName: 'Windows Server 2019 CSVLK (lab)',
  pid: '03612-00206-556-123456-03-1033-17763.0000-1452019',
  skuId: '8de8eb62-bbe0-40ac-ac17-f75595071ea3',
  partialProductKey: 'R7QFK',
  kmsIds: [
    'windows-7',
    'windows-8',
    'windows-8.1',
    'windows-10-11',
    'windows-10-ltsb-2016',
    'windows-10-ltsc-2019',
    'windows-server-2012',
    'windows-server-2012-r2',
    'windows-server-2016',
    'windows-server-2019',
  ].map(idOf),
});

/** As the forging script writes it: zero SKU, XXXXX, placeholder PID, Windows and Office IDs. */
export const FORGED_LOOKING_OBJECT: LabActivationObject = Object.freeze({
  cn: '01234-000-000000-0',
  displayName: 'ADBA',
  pid: '00000-01234-000-000000-03-1033-12345.0000-0012025',
  skuId: '00000000-0000-0000-0000-000000000000',
  partialProductKey: 'XXXXX',
  kmsIds: [
    ...[
      'windows-8',
      'windows-server-2012',
      'windows-8.1',
      'windows-10-11',
      'windows-server-2022',
    ].map(idOf),
    ...['office-2016', 'office-2019', 'office-ltsc-2021', 'office-ltsc-2024'].map(idOf),
    // Not in the product table: reported as unmapped.
    '5f94a0bb-d5a0-4081-a685-5819418b2fe0',
  ],
});

const b64Guid = (text: string): string => guid.encode(text).toString('base64');

/** The container DN under a Configuration partition DN. */
export function activationObjectsContainer(configurationDn: string): string {
  return `${ACTIVATION_OBJECTS_RDNS},${configurationDn}`;
}

/** One activation object as an LDIF record. */
export function activationObjectLdif(configurationDn: string, object: LabActivationObject): string {
  return [
    `dn: CN=${object.cn},${activationObjectsContainer(configurationDn)}`,
    'objectClass: msSPP-ActivationObject',
    `cn: ${object.cn}`,
    `displayName: ${object.displayName}`,
    `msSPP-CSVLKPid: ${object.pid}`,
    `msSPP-CSVLKSkuId:: ${b64Guid(object.skuId)}`,
    `msSPP-CSVLKPartialProductKey: ${object.partialProductKey}`,
    ...object.kmsIds.map((id) => `msSPP-KMSIds:: ${b64Guid(id)}`),
  ].join('\n');
}

function container(dn: string, cn: string, objectClass = 'container'): string {
  return `dn: ${dn}\nobjectClass: ${objectClass}\ncn: ${cn}`;
}

/** The whole directory: `suffix` (DC=…), its Configuration partition, readers and objects. */
export function labDirectoryLdif(
  suffix: string,
  readers: readonly LabReader[],
  objects: readonly LabActivationObject[],
): string {
  const dc = /^DC=([^,]+)/i.exec(suffix)?.[1];
  if (dc === undefined) throw new Error(`the lab suffix must start with DC=, got ${suffix}`);
  const configuration = `CN=Configuration,${suffix}`;
  const services = `CN=Services,${configuration}`;
  const spp = `CN=Microsoft SPP,${services}`;
  const records = [
    `dn: ${suffix}\nobjectClass: domain\ndc: ${dc}`,
    container(`CN=Users,${suffix}`, 'Users'),
    ...readers.map((r) => {
      const cn = /^CN=([^,]+)/i.exec(r.dn)?.[1] ?? 'reader';
      return `dn: ${r.dn}\nobjectClass: person\ncn: ${cn}\nsn: ${cn}\nuserPassword: ${r.password}`;
    }),
    container(configuration, 'Configuration'),
    container(services, 'Services'),
    container(spp, 'Microsoft SPP'),
    container(
      activationObjectsContainer(configuration),
      'Activation Objects',
      'msSPP-ActivationObjectsContainer',
    ),
    ...objects.map((o) => activationObjectLdif(configuration, o)),
  ];
  return records.join('\n\n') + '\n';
}
