/**
 * Active Directory-Based Activation (docs/adba.md): per configured forest, whether its
 * activation objects could be read, the objects, and which product groups they cover.
 * Read from the ADBA view (monitor/adba-view.ts), built once per scrape.
 */
import { buildAdbaView, type AdbaForestView } from '../../monitor/adba-view.js';
import { labelledGauge } from '../family.js';
import { labelledCounterFamily, type StateFamily, type StateScrape } from '../state-scrape.js';

const views = new WeakMap<StateScrape, AdbaForestView[]>();

function forests(scrape: StateScrape): AdbaForestView[] {
  let view = views.get(scrape);
  if (view === undefined) {
    view = buildAdbaView(
      scrape.state.adba,
      scrape.products.map((p) => p.slug),
    );
    views.set(scrape, view);
  }
  return view;
}

/** A gauge with at most one sample per forest; none where `value` is null. */
function perForest(
  name: string,
  help: string,
  value: (forest: AdbaForestView) => number | null,
): StateFamily {
  return labelledGauge({
    name,
    help,
    labels: ['forest'],
    samples(scrape, emit) {
      for (const f of forests(scrape)) {
        const v = value(f);
        if (v !== null) emit([f.forest], v);
      }
    },
  });
}

export const ADBA_UP = perForest(
  'kms_adba_up',
  "Whether the latest read of the forest's activation objects succeeded (1) or failed (0; kms_adba_read_failures_total and the adba_unreadable finding give the reason: connect, tls, bind, timeout, not_found, protocol). No sample before the first read ends.",
  (f) => (f.status === 'pending' ? null : f.status === 'ok' ? 1 : 0),
);

export const ADBA_READ_DURATION = perForest(
  'kms_adba_read_duration_seconds',
  'Seconds the latest read of the forest took (connect, TLS, bind, search), also when it failed.',
  (f) => f.durationSeconds,
);

export const ADBA_LAST_SUCCESS = perForest(
  'kms_adba_last_success_timestamp_seconds',
  "Unix time of the latest successful read of the forest's activation objects.",
  (f) => (f.lastSuccessAt === null ? null : Date.parse(f.lastSuccessAt) / 1000),
);

export const ADBA_READ_FAILURES: StateFamily = labelledCounterFamily({
  name: 'kms_adba_read_failures_total',
  help: 'Failed reads of the forest by reason: connect, tls, bind, timeout, not_found, protocol.',
  labels: ['forest', 'reason'],
  counter: (state) => state.adba.failures,
});

export const ADBA_OBJECTS = perForest(
  'kms_adba_objects',
  'Activation objects (msSPP-ActivationObject) the latest successful read found in the forest; kept while the forest is unreadable.',
  (f) => (f.lastSuccessAt === null ? null : f.objects.length),
);

export const ADBA_OBJECT_INFO: StateFamily = labelledGauge({
  name: 'kms_adba_object_info',
  help: '1 per activation object: its CN, display name, the CSVLK its PID names, SKU ID, partial product key (key), and forged="true" when it shows signs of a forging script (all-zero SKU ID, placeholder key or PID, impossible KMS ID list; the adba_object_forged finding gives the evidence).',
  labels: ['forest', 'cn', 'name', 'csvlk', 'sku_id', 'key', 'forged'],
  samples(scrape, emit) {
    for (const f of forests(scrape)) {
      for (const o of f.objects) {
        emit(
          [
            f.forest,
            o.cn ?? o.dn,
            o.displayName ?? '',
            o.pid?.csvlk ?? '',
            o.skuId ?? '',
            o.partialProductKey ?? '',
            o.forged.length > 0 ? 'true' : 'false',
          ],
          1,
        );
      }
    }
  },
});

export const ADBA_PRODUCT_COVERED: StateFamily = labelledGauge({
  name: 'kms_adba_product_covered',
  help: "1 if a genuine-looking activation object of the forest serves the product group's domain members, else 0 (no object enables it, only a forged-looking one does, or its releases cannot use ADBA: Windows before 8.1, Server before 2012, Office before 2013). Workgroup machines always need KMS: this never makes a KMS verdict green.",
  labels: ['forest', 'product'],
  samples(scrape, emit) {
    for (const f of forests(scrape)) {
      for (const c of f.coverage) emit([f.forest, c.product], c.covered ? 1 : 0);
    }
  },
});

export const ADBA_FAMILIES: readonly StateFamily[] = [
  ADBA_UP,
  ADBA_READ_DURATION,
  ADBA_LAST_SUCCESS,
  ADBA_READ_FAILURES,
  ADBA_OBJECTS,
  ADBA_OBJECT_INFO,
  ADBA_PRODUCT_COVERED,
];
