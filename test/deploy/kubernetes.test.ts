/**
 * deploy/kubernetes/: every manifest parses with a kind and apiVersion, the pieces refer
 * to each other correctly (labels, ports, ConfigMap, probes), the Deployment runs
 * unprivileged on a read-only root file system, the configuration in the ConfigMap loads
 * with the real configuration loader, and the PrometheusRule holds exactly the groups of
 * deploy/prometheus/*-rules.yml (it is generated from them).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parseConfig } from '../../src/config/load.js';
import { buildPrometheusRule } from '../../deploy/kubernetes/generate-prometheus-rule.js';
import {
  ALERTING_RULES,
  RECORDING_RULES,
  readYaml,
  readYamlDocuments,
  repoPath,
  ruleGroups,
} from './helpers.js';

const DIR = 'deploy/kubernetes';
const files = readdirSync(repoPath(DIR)).filter((f) => f.endsWith('.yaml'));

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

const manifests = new Map<string, Manifest>();
for (const file of files) {
  for (const doc of readYamlDocuments(`${DIR}/${file}`)) {
    const m = doc as Manifest;
    manifests.set(m.kind, m);
  }
}
function get<T>(kind: string): T {
  const m = manifests.get(kind);
  assert.ok(m, `a ${kind} manifest`);
  return m as unknown as T;
}

interface Container {
  name: string;
  image: string;
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: {
    allowPrivilegeEscalation: boolean;
    readOnlyRootFilesystem: boolean;
    privileged?: boolean;
    capabilities: { drop: string[] };
  };
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface Deployment extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: Container[];
        volumes: Array<{ name: string; configMap?: { name: string }; emptyDir?: object }>;
      };
    };
  };
}
interface Service extends Manifest {
  spec: {
    selector: Record<string, string>;
    ports: Array<{ name: string; port: number; targetPort: string }>;
  };
}

describe('Kubernetes manifests', () => {
  test('every manifest parses and has a known kind and apiVersion', () => {
    const expected: Record<string, string> = {
      ConfigMap: 'v1',
      Deployment: 'apps/v1',
      Service: 'v1',
      ServiceMonitor: 'monitoring.coreos.com/v1',
      PrometheusRule: 'monitoring.coreos.com/v1',
      Kustomization: 'kustomize.config.k8s.io/v1beta1',
    };
    assert.deepEqual([...manifests.keys()].sort(), Object.keys(expected).sort());
    for (const [kind, m] of manifests) {
      assert.equal(m.apiVersion, expected[kind], kind);
      if (kind !== 'Kustomization') assert.match(m.metadata.name, /^[a-z0-9-]+$/, kind);
    }
  });

  test('the kustomization lists every other manifest', () => {
    const k = get<{ resources: string[] }>('Kustomization');
    assert.deepEqual(
      [...k.resources].sort(),
      files.filter((f) => f !== 'kustomization.yaml').sort(),
    );
  });

  test('the PrometheusRule is generated from, and identical to, the rule files', async () => {
    const rule = get<Manifest & { spec: { groups: unknown[] } }>('PrometheusRule');
    assert.deepEqual(
      rule,
      await buildPrometheusRule(),
      'run `npx tsx deploy/kubernetes/generate-prometheus-rule.ts` and commit the result',
    );
    assert.deepEqual(rule.spec.groups, [
      ...ruleGroups(RECORDING_RULES),
      ...ruleGroups(ALERTING_RULES),
    ]);
  });

  test('the Deployment runs unprivileged, read-only, with probes and resources', () => {
    const d = get<Deployment>('Deployment');
    const pod = d.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(pod.securityContext.runAsUser > 0);
    assert.equal(pod.containers.length, 1);
    const [c] = pod.containers;
    assert.equal(c!.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c!.securityContext.allowPrivilegeEscalation, false);
    assert.notEqual(c!.securityContext.privileged, true);
    assert.deepEqual(c!.securityContext.capabilities.drop, ['ALL']);
    const portNames = c!.ports.map((p) => p.name);
    assert.deepEqual(
      c!.ports.map((p) => p.containerPort),
      [9688],
    );
    assert.equal(c!.livenessProbe.httpGet.path, '/-/healthy');
    assert.equal(c!.readinessProbe.httpGet.path, '/-/ready');
    assert.ok(portNames.includes(c!.livenessProbe.httpGet.port));
    assert.ok(portNames.includes(c!.readinessProbe.httpGet.port));
    assert.ok(c!.resources.requests.cpu && c!.resources.requests.memory);
    assert.ok(c!.resources.limits.memory);
    assert.ok(!/:latest$/.test(c!.image), 'a pinned image tag');
    // Labels: the selector picks the pod template.
    for (const [k, v] of Object.entries(d.spec.selector.matchLabels))
      assert.equal(d.spec.template.metadata.labels[k], v);
  });

  test('the Deployment mounts the ConfigMap where --config.file points', () => {
    const d = get<Deployment>('Deployment');
    const cm = get<Manifest & { data: Record<string, string> }>('ConfigMap');
    const pod = d.spec.template.spec;
    const [c] = pod.containers;
    const configArg = c!.args.find((a) => a.startsWith('--config.file='));
    assert.ok(configArg);
    const path = configArg.slice('--config.file='.length);
    const volume = pod.volumes.find((v) => v.configMap?.name === cm.metadata.name);
    assert.ok(volume, 'a volume from the ConfigMap');
    const mount = c!.volumeMounts.find((m) => m.name === volume.name);
    assert.ok(mount && mount.readOnly);
    assert.ok(path.startsWith(`${mount.mountPath}/`));
    assert.ok(
      path.slice(mount.mountPath.length + 1) in cm.data,
      'the file is a key of the ConfigMap',
    );
  });

  test('the configuration in the ConfigMap loads, with domains, resolvers and a fixed CMID', () => {
    const cm = get<Manifest & { data: Record<string, string> }>('ConfigMap');
    const [key, text] = Object.entries(cm.data)[0]!;
    const config = parseConfig(text, key);
    assert.ok(config.domains.length > 0, 'domains are listed (the pod resolv.conf has none)');
    assert.ok(config.resolvers.length > 0, 'resolvers are listed (not the cluster DNS)');
    assert.match(
      config.identity.cmid ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  test('the Service selects the pods, the ServiceMonitor selects the Service and its port', () => {
    const d = get<Deployment>('Deployment');
    const svc = get<Service>('Service');
    const sm = get<
      Manifest & {
        spec: {
          selector: { matchLabels: Record<string, string> };
          endpoints: Array<{ port: string; path: string }>;
        };
      }
    >('ServiceMonitor');
    // The operator names the job after the Service; the monitor alerts match job="kms-monitor".
    assert.equal(svc.metadata.name, 'kms-monitor');
    for (const [k, v] of Object.entries(svc.spec.selector))
      assert.equal(d.spec.template.metadata.labels[k], v);
    const containerPorts = d.spec.template.spec.containers[0]!.ports.map((p) => p.name);
    for (const p of svc.spec.ports) assert.ok(containerPorts.includes(p.targetPort));
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels))
      assert.equal(svc.metadata.labels?.[k], v);
    for (const e of sm.spec.endpoints) {
      assert.ok(svc.spec.ports.some((p) => p.name === e.port));
      assert.equal(e.path, '/metrics');
    }
  });

  test('the alert on the scrape job matches the Service name', () => {
    const alerts = readYaml<{ groups: Array<{ rules: Array<{ expr: string }> }> }>(ALERTING_RULES);
    const jobs = alerts.groups.flatMap((g) =>
      g.rules.flatMap((r) => [...r.expr.matchAll(/job="([^"]+)"/g)].map((m) => m[1])),
    );
    assert.ok(jobs.length > 0);
    for (const job of jobs) assert.equal(job, get<Service>('Service').metadata.name);
  });
});
