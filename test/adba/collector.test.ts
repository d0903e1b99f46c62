/**
 * The ADBA collector against a real slapd serving the msSPP schema: objects found and
 * decoded over LDAPS and StartTLS, the forged one flagged, paging, and the changes between
 * two rounds raised (modify, delete, add) and cleared.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readForest } from '../../src/adba/collector.js';
import { diffRounds, forgerySigns, type AdbaReadSuccess } from '../../src/adba/index.js';
import {
  activationObjectLdif,
  FORGED_LOOKING_OBJECT,
  GENUINE_LOOKING_OBJECT,
} from '../../src/lab/adba/sample-objects.js';
import { guid } from '../../src/kms/guid.js';
import {
  Attribute,
  Change,
  slapdAvailable,
  slapdFixtureForSuite,
  type SlapdFixture,
} from '../fixtures/slapd.js';

const skip = slapdAvailable() ? false : 'slapd is not installed (apt-get install slapd ldap-utils)';

async function readOk(
  fixture: SlapdFixture,
  overrides: Record<string, unknown> = {},
  pageSize?: number,
): Promise<AdbaReadSuccess> {
  const result = await readForest(
    fixture.forest(overrides),
    pageSize === undefined ? {} : { pageSize },
  );
  assert.equal(result.ok, true, JSON.stringify(result));
  return result as AdbaReadSuccess;
}

const byName = (r: AdbaReadSuccess, name: string) => {
  const object = r.objects.find((o) => o.displayName === name);
  assert.ok(object, `no object ${name} in ${r.objects.map((o) => o.displayName).join(', ')}`);
  return object;
};

describe('ADBA collector against slapd', { skip }, () => {
  const fixture = slapdFixtureForSuite();

  it('serves the msSPP schema: the server knows the class and its attribute OIDs', async () => {
    const schema = await fixture().admin(async (client) => {
      const { searchEntries } = await client.search('cn=Subschema', {
        scope: 'base',
        filter: '(objectClass=subschema)',
        attributes: ['objectClasses', 'attributeTypes'],
      });
      return searchEntries[0]!;
    });
    const classes = ([] as string[]).concat(schema.objectClasses as string[]);
    const types = ([] as string[]).concat(schema.attributeTypes as string[]);
    assert.ok(
      classes.some((c) => c.includes("1.2.840.113556.1.5.267 NAME 'msSPP-ActivationObject'")),
    );
    for (const [oid, name] of [
      ['1.2.840.113556.1.4.2081', 'msSPP-CSVLKSkuId'],
      ['1.2.840.113556.1.4.2082', 'msSPP-KMSIds'],
      ['1.2.840.113556.1.4.2105', 'msSPP-CSVLKPid'],
      ['1.2.840.113556.1.4.2106', 'msSPP-CSVLKPartialProductKey'],
    ]) {
      assert.ok(
        types.some((t) => t.includes(`${oid} NAME '${name}'`)),
        `${name} missing`,
      );
    }
  });

  it('finds the Configuration partition in the RootDSE and decodes both objects over LDAPS', async () => {
    const result = await readOk(fixture());
    assert.equal(
      result.container,
      `CN=Activation Objects,CN=Microsoft SPP,CN=Services,${fixture().slapd.configurationDn}`,
    );
    assert.equal(result.objects.length, 2);

    const genuine = byName(result, GENUINE_LOOKING_OBJECT.displayName);
    assert.equal(genuine.csvlkPid, GENUINE_LOOKING_OBJECT.pid);
    assert.equal(genuine.pid?.csvlk, 'Windows Server 2019');
    assert.equal(genuine.pid?.hostBuild, 17763);
    assert.equal(genuine.pid?.keyDate, '2019-05-25');
    assert.equal(genuine.skuId, GENUINE_LOOKING_OBJECT.skuId);
    assert.equal(genuine.partialProductKey, 'R7QFK');
    assert.deepEqual(genuine.kmsIds.map((k) => k.product).sort(), [
      'windows-10-11',
      'windows-10-ltsb-2016',
      'windows-10-ltsc-2019',
      'windows-7',
      'windows-8',
      'windows-8.1',
      'windows-server-2012',
      'windows-server-2012-r2',
      'windows-server-2016',
      'windows-server-2019',
    ]);
    assert.deepEqual(genuine.unmappedKmsIds, []);
    assert.deepEqual(genuine.problems, []);
    assert.match(genuine.created ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(forgerySigns(genuine), []);
  });

  it('flags the forged-looking object with its evidence and reports the unmapped KMS ID', async () => {
    const forged = byName(await readOk(fixture()), 'ADBA');
    const signs = forgerySigns(forged).map((e) => e.sign);
    assert.deepEqual(signs, [
      'sku_zero',
      'partial_key_placeholder',
      'pid_placeholder',
      'kms_ids_impossible',
    ]);
    assert.deepEqual(forged.unmappedKmsIds, ['5f94a0bb-d5a0-4081-a685-5819418b2fe0']);
    assert.equal(forged.skuId, '00000000-0000-0000-0000-000000000000');
  });

  it('reads the same over StartTLS, and with base given instead of the RootDSE', async () => {
    const viaStartTls = await readOk(fixture(), { url: fixture().slapd.ldapUrl, start_tls: true });
    const viaBase = await readOk(fixture(), { base: fixture().slapd.configurationDn });
    const names = (r: AdbaReadSuccess) => r.objects.map((o) => o.dn).sort();
    assert.deepEqual(names(viaStartTls), names(await readOk(fixture())));
    assert.deepEqual(names(viaBase), names(viaStartTls));
  });

  it('takes the password from an environment variable too', async () => {
    const result = await readForest(
      fixture().forest({ password_file: undefined, password_env: 'ADBA_TEST_PW' }),
      {
        env: { ADBA_TEST_PW: fixture().reader.password },
      },
    );
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});

describe('ADBA collector: paging', { skip }, () => {
  const extra = Array.from({ length: 5 }, (_, i) => ({
    ...GENUINE_LOOKING_OBJECT,
    cn: `00206-556-12345${i}-0`,
    displayName: `lab object ${i}`,
  }));
  // The server answers at most 2 entries per request: only a paging client gets all 7.
  const fixture = slapdFixtureForSuite({
    objects: [GENUINE_LOOKING_OBJECT, FORGED_LOOKING_OBJECT, ...extra],
    sizeLimit: 2,
  });

  it('reads every object in pages when the server limits the entries per answer', async () => {
    const result = await readOk(fixture(), {}, 2);
    assert.equal(result.objects.length, 7);
    assert.ok(result.pages >= 4, `pages: ${result.pages}`);
    assert.equal(result.truncated, false);
  });
});

describe('ADBA collector: changes between rounds', { skip }, () => {
  const fixture = slapdFixtureForSuite();

  it('raises appeared / changed (with the attributes) / disappeared, and nothing once it settles', async () => {
    const first = await readOk(fixture());
    assert.deepEqual(diffRounds(first.objects, first.objects), {
      appeared: [],
      changed: [],
      disappeared: [],
    });

    const newcomer = {
      ...GENUINE_LOOKING_OBJECT,
      cn: '00206-556-654321-0',
      displayName: 'Second CSVLK',
    };
    const office = guid.encode('85b5f61b-320b-4be3-814a-b76b2bfafc82');
    await fixture().admin(async (client) => {
      await client.modify(fixture().objectDn(GENUINE_LOOKING_OBJECT), [
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'msSPP-KMSIds', values: [office] }),
        }),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'displayName', values: ['renamed'] }),
        }),
      ]);
      await client.del(fixture().objectDn(FORGED_LOOKING_OBJECT));
      const record = activationObjectLdif(fixture().slapd.configurationDn, newcomer).split('\n');
      const dn = record[0]!.slice('dn: '.length);
      const attributes = new Map<string, (string | Buffer)[]>();
      for (const line of record.slice(1)) {
        const binary = line.includes(':: ');
        const [type, value] = binary ? line.split(':: ') : line.split(': ');
        const list = attributes.get(type!) ?? [];
        list.push(binary ? Buffer.from(value!, 'base64') : value!);
        attributes.set(type!, list);
      }
      await client.add(
        dn,
        [...attributes].map(
          ([type, values]) => new Attribute({ type, values: values as string[] }),
        ),
      );
    });

    const second = await readOk(fixture());
    const diff = diffRounds(first.objects, second.objects);
    assert.deepEqual(
      diff.appeared.map((o) => o.displayName),
      ['Second CSVLK'],
    );
    assert.deepEqual(
      diff.disappeared.map((o) => o.displayName),
      ['ADBA'],
    );
    assert.equal(diff.changed.length, 1);
    assert.deepEqual(diff.changed[0]!.attributes, ['displayName', 'msSPP-KMSIds']);
    // The added Office ID makes the object impossible for one CSVLK.
    assert.deepEqual(
      forgerySigns(diff.changed[0]!.after).map((e) => e.sign),
      ['kms_ids_impossible'],
    );

    const third = await readOk(fixture());
    assert.deepEqual(diffRounds(second.objects, third.objects), {
      appeared: [],
      changed: [],
      disappeared: [],
    });
  });
});
