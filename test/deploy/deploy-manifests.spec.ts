import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { streamReplicas } from '@bascule/messaging';
import { SERVICE_DEFAULT_PORTS, SERVICE_NAMES, type ServiceName } from '@bascule/service-kit';

/**
 * deploy/k8s/ and docker-compose.yml against their published JSON schemas, and against each other:
 *
 * - Kubernetes: every document is validated by kubernetes-models (the Kubernetes OpenAPI schemas of
 *   each kind, compiled to validators by Ajv; `Model.validate()`), after a document of a kind it has
 *   no schema for fails.
 * - Compose: docker-compose.yml (YAML anchors and merge keys resolved as Compose does) is validated
 *   with Ajv against the Compose Specification's schema as the `dclint` package ships it
 *   (node_modules/dclint/schemas/compose.schema.json, from github.com/compose-spec/compose-spec).
 *
 * Each validator is shown to reject a broken document, so a green run means something.
 */

const ROOT = join(__dirname, '..', '..');
const K8S_DIR = join(ROOT, 'deploy', 'k8s');

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: unknown };
type Validatable = { validate(): void };
const MODELS: Record<string, new (data: never) => Validatable> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

/** Problems of one Kubernetes document against the schema of its apiVersion and kind; none: valid. */
function k8sProblems(doc: Manifest): string[] {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) return [`no schema for ${doc.apiVersion} ${doc.kind}`];
  try {
    new Model(doc as never).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

function yamlDocuments(text: string, file: string): unknown[] {
  return parseAllDocuments(text, { merge: true }).map((document, index) => {
    if (document.errors.length > 0) throw new Error(`${file} document ${index + 1}: ${document.errors.map((error) => error.message).join('; ')}`);
    return document.toJS({ maxAliasCount: -1 });
  });
}

const k8sFiles = readdirSync(K8S_DIR)
  .filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml')
  .sort();
const manifests: Array<{ file: string; doc: Manifest }> = k8sFiles.flatMap((file) =>
  yamlDocuments(readFileSync(join(K8S_DIR, file), 'utf8'), file)
    .filter((doc) => doc !== null)
    .map((doc) => ({ file, doc: doc as Manifest })),
);
const ofKind = <T = Manifest>(kind: string): T[] => manifests.filter(({ doc }) => doc.kind === kind).map(({ doc }) => doc as unknown as T);

/** The value, or a failure naming what is missing. */
function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`deploy/k8s has no ${what}`);
  return value;
}

function composeValidator(): ValidateFunction {
  const schemaFile = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  // Its "$schema" names draft-07 by an address Ajv does not know it by; Ajv's default is draft-07.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function composeProblems(validate: ValidateFunction, compose: unknown): string[] {
  return validate(compose) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
}

const composeFile = yamlDocuments(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), 'docker-compose.yml')[0] as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; build?: { dockerfile: string } }>;
};

describe('Kubernetes manifests (deploy/k8s) against the Kubernetes schemas', () => {
  it('has every kind the deployment needs', () => {
    const kinds = new Set(manifests.map(({ doc }) => doc.kind));
    for (const kind of ['Deployment', 'PodDisruptionBudget', 'Service', 'Secret', 'ConfigMap', 'StatefulSet']) expect({ kind, present: kinds.has(kind) }).toEqual({ kind, present: true });
  });

  it.each(manifests.map(({ file, doc }) => [`${file}: ${doc.kind} ${doc.metadata?.name}`, doc] as const))('%s is valid', (_name, doc) => {
    expect(k8sProblems(doc)).toEqual([]);
  });

  it('rejects a Deployment with a field of the wrong type, a container without a name, and a kind it has no schema for', () => {
    const planner = structuredClone(ofKind('Deployment').find((doc) => doc.metadata.name === 'planner')) as Manifest & { spec: { replicas: unknown; template: { spec: { containers: Array<Record<string, unknown>> } } } };
    const wrongType = structuredClone(planner);
    wrongType.spec.replicas = 'two';
    expect(k8sProblems(wrongType).join()).toMatch(/spec\/replicas must be integer/);
    const noName = structuredClone(planner);
    delete noName.spec.template.spec.containers[0]['name'];
    expect(k8sProblems(noName).join()).toMatch(/containers\/0 must have required property '?name'?/);
    const wrongProbe = structuredClone(planner);
    (wrongProbe.spec.template.spec.containers[0]['readinessProbe'] as { periodSeconds: unknown }).periodSeconds = '5s';
    expect(k8sProblems(wrongProbe).join()).toMatch(/readinessProbe\/periodSeconds must be integer/);
    expect(k8sProblems({ ...planner, apiVersion: 'apps/v1beta1' })).toEqual(['no schema for apps/v1beta1 Deployment']);
  });
});

describe('Kubernetes manifests: what they must say', () => {
  const deployments = ofKind<Manifest & { spec: DeploymentSpec }>('Deployment');
  const secrets = ofKind<Manifest & { data?: Record<string, string>; stringData?: Record<string, string> }>('Secret');
  const configMaps = ofKind<Manifest & { data: Record<string, string> }>('ConfigMap');
  const services = ofKind<Manifest & { spec: { selector: Record<string, string>; ports: Array<{ port: number; targetPort: number | string }>; clusterIP?: string } }>('Service');
  const budgets = ofKind<Manifest & { spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector: { matchLabels: Record<string, string> } } }>('PodDisruptionBudget');
  const keysOf = (secret: { data?: Record<string, string>; stringData?: Record<string, string> }) => [...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})];
  const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);

  it('runs each of the six services as a Deployment of two replicas, the command as docker-compose.yml gives it', () => {
    expect(deployments.map((doc) => doc.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
    const images = new Set(deployments.map((doc) => doc.spec.template.spec.containers[0].image));
    expect(images.size).toBe(1);
    for (const doc of deployments) {
      const name = doc.metadata.name;
      const container = doc.spec.template.spec.containers[0];
      expect({ name, replicas: doc.spec.replicas, args: container.args }).toEqual({ name, replicas: 2, args: composeFile.services[name].command });
    }
  });

  it.each(SERVICE_NAMES.map((name) => [name]))('%s: probes on /health at its port, a Service and a PodDisruptionBudget (minAvailable 1) select it', (name: ServiceName) => {
    const doc = present(deployments.find((deployment) => deployment.metadata.name === name), `Deployment ${name}`);
    const labels = doc.spec.template.metadata.labels;
    expect(selects(doc.spec.selector.matchLabels, labels)).toBe(true);
    const container = doc.spec.template.spec.containers[0];
    const port = SERVICE_DEFAULT_PORTS[name];
    const portOf = (value: number | string) => (typeof value === 'number' ? value : container.ports.find((each) => each.name === value)?.containerPort);
    expect(container.env.find((each) => each.name === 'PORT')?.value).toBe(String(port));
    expect(composeFile.services[name].environment?.['PORT']).toBe(String(port));
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect({ path: probe?.httpGet.path, port: probe && portOf(probe.httpGet.port) }).toEqual({ path: '/health', port });
    }
    // Reachable by the kubelet: the planner listens on every interface once authentication is set, the others when told.
    const env = Object.fromEntries(container.env.filter((each) => each.value !== undefined).map((each) => [each.name, each.value]));
    expect(name === 'planner' ? env['BASCULE_TOKENS_FILE'] : env['BASCULE_LISTEN_HOST']).toBeTruthy();
    const matching = budgets.filter((budget) => selects(budget.spec.selector.matchLabels, labels));
    expect(matching.map((budget) => budget.spec.minAvailable)).toEqual([1]);
    const service = services.filter((each) => selects(each.spec.selector, labels));
    expect(service.map((each) => [each.spec.ports[0].port, portOf(each.spec.ports[0].targetPort)])).toEqual([[port, port]]);
  });

  it('takes every credential from a Secret in the manifests, by a key it has', () => {
    const refs: Array<{ from: string; secret: string; key?: string }> = [];
    for (const { doc } of manifests) {
      const pod = (doc as { spec?: { template?: { spec?: PodSpec } } }).spec?.template?.spec;
      if (!pod) continue;
      for (const container of pod.containers) {
        for (const each of container.env ?? []) if (each.valueFrom?.secretKeyRef) refs.push({ from: `${doc.metadata.name} env ${each.name}`, secret: each.valueFrom.secretKeyRef.name, key: each.valueFrom.secretKeyRef.key });
        for (const each of container.envFrom ?? []) if (each.secretRef) refs.push({ from: `${doc.metadata.name} envFrom`, secret: each.secretRef.name });
        for (const each of container.envFrom ?? []) if (each.configMapRef) expect(configMaps.map((map) => map.metadata.name)).toContain(each.configMapRef.name);
      }
      for (const volume of pod.volumes ?? []) if (volume.secret) refs.push({ from: `${doc.metadata.name} volume ${volume.name}`, secret: volume.secret.secretName });
      for (const volume of pod.volumes ?? []) if (volume.configMap) expect(configMaps.map((map) => map.metadata.name)).toContain(volume.configMap.name);
    }
    expect(refs.length).toBeGreaterThan(SERVICE_NAMES.length);
    for (const ref of refs) {
      const secret = secrets.find((each) => each.metadata.name === ref.secret);
      expect({ ...ref, found: secret !== undefined && (ref.key === undefined || keysOf(secret).includes(ref.key)) }).toEqual({ ...ref, found: true });
    }
    // No password, database URL or token is written into a Deployment: they come from Secrets.
    for (const doc of deployments) {
      for (const each of doc.spec.template.spec.containers[0].env) expect({ env: each.name, inline: /PASSWORD|DATABASE_URL|TOKEN$/.test(each.name) && each.value !== undefined }).toEqual({ env: each.name, inline: false });
    }
  });

  it('shows Secrets only as examples: every value a marked placeholder', () => {
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.data).toBeUndefined();
      for (const [key, value] of Object.entries(secret.stringData ?? {})) expect({ key, placeholder: value.includes('CHANGE-ME') }).toEqual({ key, placeholder: true });
    }
  });

  it('runs NATS as a three-node JetStream cluster, and the services create streams with three replicas', () => {
    const [nats] = ofKind<Manifest & { spec: { replicas: number; serviceName: string; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } }>('StatefulSet');
    expect(nats.spec.replicas).toBe(3);
    const headless = present(services.find((service) => service.metadata.name === nats.spec.serviceName), `Service ${nats.spec.serviceName}`);
    expect(headless.spec.clusterIP).toBe('None');
    expect(selects(headless.spec.selector, nats.spec.template.metadata.labels)).toBe(true);
    const configName = nats.spec.template.spec.volumes?.find((volume) => volume.configMap)?.configMap?.name;
    const conf = present(configMaps.find((map) => map.metadata.name === configName), `ConfigMap ${configName}`).data['nats.conf'];
    expect(conf).toMatch(/jetstream\s*\{[^}]*store_dir/);
    expect(conf).toMatch(/server_name:\s*\$SERVER_NAME/);
    const routes = [...conf.matchAll(/nats:\/\/([a-z0-9-]+)\.([a-z0-9-]+):6222/g)].map((match) => [match[1], match[2]]);
    expect(routes).toEqual([0, 1, 2].map((index) => [`${nats.metadata.name}-${index}`, nats.spec.serviceName]));
    // The users and permissions of deploy/nats/bascule-nats.conf, unchanged, with every password in the Secret.
    const reference = readFileSync(join(ROOT, 'deploy', 'nats', 'bascule-nats.conf'), 'utf8');
    const authorization = reference.slice(reference.indexOf('authorization {')).trim();
    expect(conf).toContain(authorization);
    const natsSecret = present(
      secrets.find((secret) => nats.spec.template.spec.containers[0].envFrom?.some((each) => each.secretRef?.name === secret.metadata.name)),
      'Secret of the NATS passwords',
    );
    for (const variable of conf.matchAll(/password: \$([A-Z_]+)/g)) expect(keysOf(natsSecret)).toContain(variable[1]);
    for (const doc of deployments) {
      const user = doc.spec.template.spec.containers[0].env.find((each) => each.name === 'NATS_USER')?.value;
      expect(conf).toContain(`{ user: ${user}, password:`);
    }
    // The services read the replica count the way they do at run time.
    const shared = present(
      configMaps.find((map) => deployments.every((doc) => doc.spec.template.spec.containers[0].envFrom?.some((each) => each.configMapRef?.name === map.metadata.name))),
      'ConfigMap every service reads',
    );
    expect(streamReplicas(shared.data)).toBe(3);
    expect(shared.data['NATS_URL']).toMatch(/^nats:\/\/[a-z-]+:4222$/);
    expect(services.map((service) => service.metadata.name)).toContain(new URL(shared.data['NATS_URL']).hostname);
  });

  it('lists every manifest but the Secret example in kustomization.yaml', () => {
    const kustomization = yamlDocuments(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8'), 'kustomization.yaml')[0] as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(k8sFiles.filter((file) => file !== 'secrets.example.yaml'));
  });
});

describe('docker-compose.yml against the Compose Specification schema', () => {
  const validate = composeValidator();

  it('is valid', () => {
    expect(composeProblems(validate, composeFile)).toEqual([]);
  });

  it('rejects a service with an unknown key, a port of the wrong type and an unknown top-level key', () => {
    const unknownKey = structuredClone(composeFile) as unknown as { services: Record<string, Record<string, unknown>> };
    unknownKey.services['planner']['restart_policy'] = 'always';
    expect(composeProblems(validate, unknownKey).join()).toMatch(/\/services\/planner must NOT have additional properties.*restart_policy/);
    const wrongType = structuredClone(composeFile) as unknown as { services: Record<string, Record<string, unknown>> };
    wrongType.services['planner']['ports'] = 3000;
    expect(composeProblems(validate, wrongType).join()).toMatch(/\/services\/planner\/ports must be array/);
    expect(composeProblems(validate, { ...composeFile, servics: {} }).join()).toMatch(/must NOT have additional properties.*servics/);
  });

  it('runs the six services from the one image of deploy/Dockerfile, each on its port', () => {
    for (const name of SERVICE_NAMES) {
      const service = composeFile.services[name];
      expect({ name, dockerfile: service.build?.dockerfile, command: service.command, port: service.environment?.['PORT'] }).toEqual({
        name,
        dockerfile: 'deploy/Dockerfile',
        command: [`dist/apps/${name}/src/main.js`],
        port: String(SERVICE_DEFAULT_PORTS[name]),
      });
    }
    expect(readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8')).toMatch(/ENTRYPOINT \["node", "-r", "\/app\/tools\/dist-paths.js"\]/);
  });
});

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  ports: Array<{ name?: string; containerPort: number }>;
  env: EnvVar[];
  envFrom?: Array<{ secretRef?: { name: string }; configMapRef?: { name: string } }>;
  readinessProbe?: { httpGet: { path: string; port: number | string } };
  livenessProbe?: { httpGet: { path: string; port: number | string } };
}
interface PodSpec {
  containers: Container[];
  volumes?: Array<{ name: string; secret?: { secretName: string }; configMap?: { name: string } }>;
}
interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
}
