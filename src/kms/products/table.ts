/**
 * The built-in product groups of docs/protocol.md §6.2, one entry per KMS counted ID.
 * Where docs/protocol.md gives no SKU for a group, a SKU of the neighbouring group is used: hosts
 * decide on the KMS counted ID and treat the SKU as informational (§6.2 notes), so the
 * answer is the same. Those entries say "SKU borrowed" below.
 */
import { APPLICATION_IDS, counterForApplicationId } from './application.js';
import type { KmsProtocolVersion } from '../protocol-version.js';
import type { Product, ProductConfidence, ProductFamily } from './types.js';

interface Row {
  slug: string;
  name: string;
  kmsCountedId: string;
  skuId: string;
  protocol: KmsProtocolVersion;
  confidence: ProductConfidence;
  kmsActivatable?: boolean;
}

function group(
  family: ProductFamily,
  applicationId: string,
  nPolicy: number,
  rows: Row[],
): Product[] {
  return rows.map((r) =>
    Object.freeze({
      slug: r.slug,
      name: r.name,
      applicationId,
      kmsCountedId: r.kmsCountedId,
      skuId: r.skuId,
      nPolicy,
      protocol: r.protocol,
      family,
      confidence: r.confidence,
      kmsActivatable: r.kmsActivatable ?? true,
      counter: counterForApplicationId(applicationId),
      builtIn: true,
    }),
  );
}

// SKUs shared by several rows.
const WINDOWS_10_PRO = '2de67392-b7a7-462a-b1ca-108dd189f588';
const WINDOWS_10_LTSC_2019 = '32d2fab3-e4a8-42c2-923b-4bf4fd13e6ee';
const SERVER_2008_STANDARD = 'ad2542d4-9154-4c6d-8a44-30f11ee96989';
const SERVER_2008_R2_ENTERPRISE = '620e2b3d-09e7-42fd-802a-17a13652fe7a';

const windowsClients = group('windows-client', APPLICATION_IDS.windows, 25, [
  {
    slug: 'windows-vista',
    name: 'Windows Vista',
    kmsCountedId: '212a64dc-43b1-4d3d-a30c-2fc69d2095c6',
    skuId: '4f3d1606-3fea-4c01-be3c-8d671c401e3b',
    protocol: 4,
    confidence: 'confirmed',
  },
  {
    slug: 'windows-7',
    name: 'Windows 7',
    kmsCountedId: '7fde5219-fbfa-484a-82c9-34d1ad53e856',
    skuId: 'b92e9980-b9d5-4821-9c94-140f632f6312',
    protocol: 4,
    confidence: 'captured',
  },
  {
    slug: 'windows-8',
    name: 'Windows 8',
    kmsCountedId: '3c40b358-5948-45af-923b-53d21fcc7e79',
    skuId: 'a98bcd6d-5343-4603-8afe-5908e4611112',
    protocol: 5,
    confidence: 'captured',
  },
  {
    slug: 'windows-8.1',
    name: 'Windows 8.1',
    kmsCountedId: 'cb8fc780-2c05-495a-9710-85afffc904d7',
    skuId: 'c06b6981-d7fd-4a35-b7b4-054742b7af67',
    protocol: 6,
    confidence: 'confirmed',
  },
  {
    // Windows 11 editions share the Windows 10 GVLKs, SKUs and this group.
    slug: 'windows-10-11',
    name: 'Windows 10/11',
    kmsCountedId: '58e2134f-8e11-4d17-9cb2-91069c151148',
    skuId: WINDOWS_10_PRO,
    protocol: 6,
    confidence: 'captured',
  },
  {
    slug: 'windows-10-ltsb-2016',
    name: 'Windows 10 LTSB 2016',
    kmsCountedId: '969fe3c0-a3ec-491a-9f25-423605deb365',
    skuId: '2d5a5a60-3040-48bf-beb0-fcd770c20ce0',
    protocol: 6,
    confidence: 'confirmed',
  },
  {
    slug: 'windows-10-ltsc-2019',
    name: 'Windows 10 LTSC 2019',
    kmsCountedId: '11b15659-e603-4cf1-9c1f-f0ec01b81888',
    skuId: WINDOWS_10_LTSC_2019,
    protocol: 6,
    confidence: 'confirmed',
  },
  {
    // Which of the two LTSC IDs is 2021 and which 2024 comes from an ADBA script only.
    // SKU borrowed: LTSC 2021/2024 use the LTSC 2019 GVLK per Microsoft's GVLK list.
    slug: 'windows-ltsc-2021',
    name: 'Windows 10/11 LTSC 2021',
    kmsCountedId: '3b576817-7b75-4362-9e13-223f2d9e9c97',
    skuId: WINDOWS_10_LTSC_2019,
    protocol: 6,
    confidence: 'unconfirmed',
  },
  {
    slug: 'windows-ltsc-2024',
    name: 'Windows 11 LTSC 2024',
    kmsCountedId: 'e85ee727-69c4-4528-99d2-216b0f065e38',
    skuId: WINDOWS_10_LTSC_2019,
    protocol: 6,
    confidence: 'unconfirmed',
  },
  {
    // A volume group both product databases carry without naming it. SKU borrowed.
    slug: 'windows-10-unknown',
    name: 'Windows 10 (unnamed volume group)',
    kmsCountedId: 'd27cd636-1962-44e9-8b4f-27b6c23efb85',
    skuId: WINDOWS_10_PRO,
    protocol: 6,
    confidence: 'confirmed',
  },
  {
    // Genuine hosts refuse retail IDs with 0xC004F042: a negative control, not a product to watch.
    slug: 'windows-10-11-retail',
    name: 'Windows 10/11 retail (not KMS-activatable)',
    kmsCountedId: 'e1c51358-fe3e-4203-a4a2-3b6b20c9734e',
    skuId: '58e97c99-f377-4ef1-81d5-4ad5522b5fd8',
    protocol: 6,
    confidence: 'captured',
    kmsActivatable: false,
  },
]);

const windowsServers = group('windows-server', APPLICATION_IDS.windows, 5, [
  {
    // Group A: Web and HPC editions. SKU borrowed from group B.
    slug: 'windows-server-2008-a',
    name: 'Windows Server 2008 (group A)',
    kmsCountedId: '33e156e4-b76f-4a52-9f91-f641dd95ac48',
    skuId: SERVER_2008_STANDARD,
    protocol: 4,
    confidence: 'confirmed',
  },
  {
    // Group B: Standard and Enterprise.
    slug: 'windows-server-2008-b',
    name: 'Windows Server 2008 (group B)',
    kmsCountedId: '8fe53387-3087-4447-8985-f75132215ac9',
    skuId: SERVER_2008_STANDARD,
    protocol: 4,
    confidence: 'confirmed',
  },
  {
    // Group C: Datacenter and Itanium. SKU borrowed from group B.
    slug: 'windows-server-2008-c',
    name: 'Windows Server 2008 (group C)',
    kmsCountedId: '8a21fdf3-cbc5-44eb-83f3-fe284e6680a7',
    skuId: SERVER_2008_STANDARD,
    protocol: 4,
    confidence: 'confirmed',
  },
  {
    slug: 'windows-server-2008-r2-a',
    name: 'Windows Server 2008 R2 (group A)',
    kmsCountedId: '0fc6ccaf-ff0e-4fae-9d08-4370785bf7ed',
    skuId: SERVER_2008_R2_ENTERPRISE,
    protocol: 4,
    confidence: 'confirmed',
  },
  {
    slug: 'windows-server-2008-r2-b',
    name: 'Windows Server 2008 R2 (group B)',
    kmsCountedId: 'ca87f5b6-cd46-40c0-b06d-8ecd57a4373f',
    skuId: SERVER_2008_R2_ENTERPRISE,
    protocol: 4,
    confidence: 'captured',
  },
  {
    slug: 'windows-server-2008-r2-c',
    name: 'Windows Server 2008 R2 (group C)',
    kmsCountedId: 'b2ca2689-a9a8-42d7-938d-cf8e9f201958',
    skuId: SERVER_2008_R2_ENTERPRISE,
    protocol: 4,
    confidence: 'confirmed',
  },
  {
    slug: 'windows-server-2012',
    name: 'Windows Server 2012',
    kmsCountedId: '8665cb71-468c-4aa3-a337-cb9bc9d5eaac',
    skuId: 'f0f5ec41-0d55-4732-af02-440a44a3cf0f',
    protocol: 5,
    confidence: 'captured',
  },
  {
    slug: 'windows-server-2012-r2',
    name: 'Windows Server 2012 R2',
    kmsCountedId: '8456efd3-0c04-4089-8740-5b7238535a65',
    skuId: 'b3ca044e-a358-4d68-9883-aaa2941aca99',
    protocol: 6,
    confidence: 'confirmed',
  },
  {
    slug: 'windows-server-2016',
    name: 'Windows Server 2016',
    kmsCountedId: '6e9fc069-257d-4bc4-b4a7-750514d32743',
    skuId: '21c56779-b449-4d20-adfc-eece0e1ad74b',
    protocol: 6,
    confidence: 'confirmed',
  },
  {
    slug: 'windows-server-2019',
    name: 'Windows Server 2019',
    kmsCountedId: '8449b1fb-f0ea-497a-99ab-66ca96e9a0f5',
    skuId: '34e1ae55-27f8-4950-8877-7a03be5fb181',
    protocol: 6,
    confidence: 'captured',
  },
  {
    // Not in vlmcsd's data; py-kms, License Manager and an ADBA script agree.
    slug: 'windows-server-2022',
    name: 'Windows Server 2022',
    kmsCountedId: 'b74263e4-0f92-46c6-bcf8-c11d5efe2959',
    skuId: 'ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03',
    protocol: 6,
    confidence: 'confirmed',
  },
  {
    // License Manager and ADBA; py-kms's 4b83307d-… is a made-up name-based UUID.
    slug: 'windows-server-2025',
    name: 'Windows Server 2025',
    kmsCountedId: '907f1f65-adcd-4a2e-95bc-4bf500bc6e58',
    skuId: 'c052f164-cdf6-409a-a0cb-853ba0f0f55a',
    protocol: 6,
    confidence: 'secondary',
  },
  {
    // Windows 10/11 Enterprise multi-session ("ServerRdsh"): a client OS counted like a
    // server (N = 5), hence this family.
    slug: 'windows-multisession',
    name: 'Windows 10/11 Enterprise multi-session',
    kmsCountedId: 'cbdcb1ba-e093-4c81-a463-10775291fdf9',
    skuId: 'ec868e65-fadf-4759-b23e-93fe37f2cc29',
    protocol: 6,
    confidence: 'secondary',
  },
]);

const office2010 = group('office', APPLICATION_IDS.office2010, 5, [
  {
    slug: 'office-2010',
    name: 'Office 2010',
    kmsCountedId: 'e85af946-2e25-47b7-83e1-bebcebeac611',
    skuId: '6f327760-8c5c-417c-9b61-836a98287e0c',
    protocol: 4,
    confidence: 'captured',
  },
]);

const office2013Plus = group('office', APPLICATION_IDS.office2013Plus, 5, [
  {
    slug: 'office-2013',
    name: 'Office 2013',
    kmsCountedId: 'e6a6f1bf-9d40-40c3-aa9f-c77ba21578c0',
    skuId: 'b322da9c-a2e2-4058-9e4e-f59a6970bd69',
    protocol: 5,
    confidence: 'captured',
  },
  {
    slug: 'office-2016',
    name: 'Office 2016',
    kmsCountedId: '85b5f61b-320b-4be3-814a-b76b2bfafc82',
    skuId: 'd450596f-894d-49e0-966a-fd39ed4c4c64',
    protocol: 6,
    confidence: 'captured',
  },
  {
    slug: 'office-2019',
    name: 'Office 2019',
    kmsCountedId: '617d9eb1-ef36-4f82-86e0-a65ae07b96c6',
    skuId: '85dd8b5f-eaa4-4af3-a628-cce9e77c9a03',
    protocol: 6,
    confidence: 'captured',
  },
  {
    slug: 'office-ltsc-2021',
    name: 'Office LTSC 2021',
    kmsCountedId: '86d50b16-4808-41af-b83b-b338274318b2',
    skuId: 'fbdb3e18-a8ef-4fb3-9183-dffd60bd0984',
    protocol: 6,
    confidence: 'secondary',
  },
  {
    // Its version nibble is 0 (not a random UUID): GUIDs are accepted as they are.
    slug: 'office-ltsc-2024',
    name: 'Office LTSC 2024',
    kmsCountedId: 'a8973cb5-bf03-0a4c-9cef-703099645ab3',
    skuId: '8d368fc1-9470-4be2-8d66-90e836cbb051',
    protocol: 6,
    confidence: 'secondary',
  },
]);

export const BUILT_IN_PRODUCTS: readonly Product[] = Object.freeze([
  ...windowsClients,
  ...windowsServers,
  ...office2010,
  ...office2013Plus,
]);
