// The deployment files agree with the code and with each other: compose runs entry files that exist,
// Prometheus scrapes services that exist on the ports they listen on, every kustomize reference
// resolves, every pod runs as non-root with limits and probes, and KEDA scales the Deployment that
// serves the queue it watches. No Docker engine or cluster is needed; nothing here was ever run on one.
// Failures are collected as readable lines ("worker-sql: no livenessProbe") and compared with [].
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const repo = resolve(__dirname, '../..');
const k8sRoot = join(repo, 'deploy/k8s');
const WORKER_QUEUES = ['criteria', 'linking', 'sql', 'execution', 'webhook'] as const;
const COMPOSE_IMAGE = 't2s:local';
const K8S_IMAGE = 't2s';
// The V8 flag is libs/process's NODE_FLAGS: every service process runs with it.
const TSX_COMMAND = ['node', '--liftoff-only', '--max-semi-space-size=4', '--import', 'tsx'];

// ---- docker-compose.yml ----

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string> | string[];
  volumes?: (string | { type?: string; source?: string })[];
  ports?: string[];
  profiles?: string[];
  healthcheck?: { test?: string | string[] };
  deploy?: { resources?: { reservations?: { devices?: { driver?: string; device_ids?: string[] }[] } } };
}

const readCompose = (): Record<string, ComposeService> =>
  // Compose resolves YAML merge keys (`<<: *worker`); so must we.
  (
    parse(readFileSync(join(repo, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, ComposeService>;
    }
  ).services;

/** What compose makes of `${VAR:-default}`, `${VAR-default}` and `${VAR:?error}` with VAR unset. */
const withDefaults = (value: string): string =>
  value.replace(/\$\{[A-Z0-9_]+(?::?([-?])([^}]*))?\}/g, (_, kind: string | undefined, text: string) =>
    kind === '-' ? text : '',
  );

function composeEnv(service: ComposeService): Record<string, string> {
  const raw = service.environment ?? {};
  const pairs = Array.isArray(raw)
    ? raw.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(raw).map(([key, value]) => [key, String(value)]);
  return Object.fromEntries(pairs.map(([key, value]) => [key, withDefaults(value ?? '')]));
}

const commandOf = (service: ComposeService): string[] =>
  Array.isArray(service.command) ? service.command.map(String) : (service.command ?? '').split(/\s+/);

const healthcheckText = (service: ComposeService): string => {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
};

/** Services that run a t2s process: the built image, or a tsx command. */
const t2sServices = (services: Record<string, ComposeService>) =>
  Object.entries(services).filter(
    ([, s]) => s.image === COMPOSE_IMAGE || TSX_COMMAND.every((word, i) => commandOf(s)[i] === word),
  );

/** The value after `flag` on a command line (`--appendonly yes`). */
const flagValue = (command: string[], flag: string): string | undefined => {
  const at = command.indexOf(flag);
  return at === -1 ? undefined : command[at + 1];
};

describe('docker-compose.yml', () => {
  const services = readCompose();

  it('runs the built image with an entry file that exists for every t2s process', () => {
    const problems: string[] = [];
    const found = t2sServices(services);
    for (const [name, service] of found) {
      const command = commandOf(service);
      if (service.image !== COMPOSE_IMAGE) problems.push(`${name}: image ${service.image}`);
      if (service.build !== '.') problems.push(`${name}: not built from the repository's Dockerfile`);
      if (!TSX_COMMAND.every((word, i) => command[i] === word)) problems.push(`${name}: command ${command}`);
      const entry = command[TSX_COMMAND.length];
      if (!entry || !existsSync(join(repo, entry))) problems.push(`${name}: entry ${entry} does not exist`);
    }
    expect(problems).toEqual([]);
    expect(found.map(([name]) => name).sort()).toEqual(
      ['gateway', 'inference-pool', ...WORKER_QUEUES.map((q) => `worker-${q}`)].sort(),
    );
  });

  it('has one worker per queue, each serving metrics on 9464 and checked through them', () => {
    const problems: string[] = [];
    for (const queue of WORKER_QUEUES) {
      const serving = Object.entries(services).filter(([, s]) => composeEnv(s)['STAGES'] === queue);
      if (serving.length !== 1) {
        problems.push(`${queue}: served by ${serving.length} services`);
        continue;
      }
      const [name, service] = serving[0]!;
      if (composeEnv(service)['METRICS_PORT'] !== '9464') problems.push(`${name}: METRICS_PORT`);
      if (!healthcheckText(service).includes('http://127.0.0.1:9464/metrics')) {
        problems.push(`${name}: healthcheck does not fetch its metrics`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs Redis with AOF, a maxmemory and noeviction', () => {
    const command = commandOf(services['redis']!).map(withDefaults);
    expect(command[0]).toBe('redis-server');
    expect(flagValue(command, '--appendonly')).toBe('yes');
    expect(flagValue(command, '--maxmemory-policy')).toBe('noeviction');
    expect(flagValue(command, '--maxmemory')).toMatch(/^\d+(mb|gb)$/);
  });

  it('binds only paths that exist (the shared datasets aside)', () => {
    const missing: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
        const isBind = /^[./~]/.test(source);
        if (!isBind || source.startsWith('../shared/')) continue;
        if (!existsSync(resolve(repo, source))) missing.push(`${name}: ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has the services Prometheus scrapes, on the ports they listen on', () => {
    const config = parse(readFileSync(join(repo, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs?: { targets: string[] }[] }[];
    };
    const targets = config.scrape_configs.flatMap((job) =>
      (job.static_configs ?? []).flatMap((c) => c.targets),
    );
    const problems: string[] = [];
    for (const target of targets) {
      const [host, port] = target.split(':');
      const service = services[host!];
      if (!service) {
        problems.push(`${target}: no service ${host}`);
        continue;
      }
      const env = composeEnv(service);
      if (![env['PORT'], env['METRICS_PORT']].includes(port))
        problems.push(`${target}: ${host} listens elsewhere`);
    }
    expect(problems).toEqual([]);
    expect(targets).toHaveLength(7);
  });

  it('points the inference pool at one vLLM service per GPU', () => {
    const pool = services['inference-pool']!;
    expect(pool.profiles).toContain('llm');
    expect(composeEnv(pool)['METRICS_PORT']).toBe('9465');
    expect(healthcheckText(pool)).toContain('http://127.0.0.1:9465/metrics');
    const endpoints = composeEnv(pool)['LLM_ENDPOINTS']!.split(',');
    expect(endpoints).toEqual([0, 1, 2, 3].map((gpu) => `http://vllm-${gpu}:8000/v1`));
    const problems: string[] = [];
    [0, 1, 2, 3].forEach((gpu) => {
      const vllm = services[`vllm-${gpu}`];
      const devices = vllm?.deploy?.resources?.reservations?.devices ?? [];
      if (!vllm?.image?.startsWith('vllm/vllm-openai')) problems.push(`vllm-${gpu}: image`);
      if (!vllm?.profiles?.includes('vllm')) problems.push(`vllm-${gpu}: not in the vllm profile`);
      if (devices.length !== 1 || devices[0]!.driver !== 'nvidia') problems.push(`vllm-${gpu}: no GPU`);
      else if (JSON.stringify(devices[0]!.device_ids) !== JSON.stringify([String(gpu)])) {
        problems.push(`vllm-${gpu}: reserves GPU ${devices[0]!.device_ids}, not ${gpu}`);
      }
      if (vllm && !healthcheckText(vllm).includes(':8000/health')) problems.push(`vllm-${gpu}: healthcheck`);
    });
    expect(problems).toEqual([]);
  });

  it('mounts the Prometheus configuration and the Grafana provisioning read-only', () => {
    expect(services['prometheus']!.volumes).toContain('./deploy/prometheus:/etc/prometheus:ro');
    expect(commandOf(services['prometheus']!)).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(services['prometheus']!.ports).toEqual(['127.0.0.1:9090:9090']);
    expect(services['grafana']!.volumes).toEqual(
      expect.arrayContaining([
        './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
        './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    expect(services['grafana']!.ports).toEqual(['127.0.0.1:3001:3000']);
  });
});

// ---- deploy/k8s ----

interface Probe {
  httpGet?: { path: string; port: number | string };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
  };
  volumeMounts?: { mountPath: string }[];
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
}
interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}
interface Workload extends Manifest {
  spec: {
    replicas?: number;
    serviceName?: string;
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: PodSpec;
    };
  };
}
interface Kustomization {
  resources?: string[];
  components?: string[];
  patches?: { path?: string }[];
  /** `name=path` or `path`: files a generated ConfigMap is made of. */
  configMapGenerator?: { files?: string[] }[];
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return name.endsWith('.yaml') ? [path] : [];
  });
}

const kustomizationFiles = yamlFilesUnder(k8sRoot).filter((f) => basename(f) === 'kustomization.yaml');
const manifestFiles = yamlFilesUnder(k8sRoot).filter(
  (f) => basename(f) !== 'kustomization.yaml' && !f.endsWith('.example.yaml'),
);

function loadManifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const manifests = new Map(manifestFiles.map((file) => [relative(k8sRoot, file), loadManifests(file)]));
const inDir = (dir: string): Manifest[] =>
  [...manifests].filter(([file]) => file.startsWith(`${dir}/`)).flatMap(([, docs]) => docs);
const all = [...manifests.values()].flat();
const workloads = all.filter((m): m is Workload => m.kind === 'Deployment' || m.kind === 'StatefulSet');
const envOf = (c: Container): Record<string, string> =>
  Object.fromEntries((c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
const baseConfig = inDir('base').find((m) => m.kind === 'ConfigMap' && m.metadata.name === 't2s-config')!;

/** Memory quantity in MiB (Mi and Gi are all these manifests use). */
function mebibytes(quantity: string | number | undefined): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(String(quantity));
  if (!match) return NaN;
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/** A probe's port as a number (named ports resolved through the container's ports). */
const probePort = (c: Container, probe: Probe | undefined): number | undefined => {
  const port = probe?.httpGet?.port;
  return typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
};

describe('deploy/k8s kustomizations', () => {
  it('reference only files and directories that exist, and never a *.example.yaml', () => {
    const problems: string[] = [];
    for (const file of kustomizationFiles) {
      const dir = dirname(file);
      const k = parse(readFileSync(file, 'utf8')) as Kustomization;
      const refs = [
        ...(k.resources ?? []),
        ...(k.components ?? []),
        ...(k.patches ?? []).flatMap((p) => p.path ?? []),
      ];
      for (const ref of refs) {
        const target = resolve(dir, ref);
        const where = `${relative(k8sRoot, file)}: ${ref}`;
        if (!existsSync(target)) problems.push(`${where} does not exist`);
        else if (statSync(target).isDirectory() && !existsSync(join(target, 'kustomization.yaml'))) {
          problems.push(`${where} has no kustomization.yaml`);
        } else if (ref.endsWith('.example.yaml')) problems.push(`${where} is an example, not a resource`);
      }
    }
    expect(problems).toEqual([]);
    expect(kustomizationFiles.map((f) => relative(k8sRoot, f)).sort()).toEqual([
      'base/kustomization.yaml',
      'keda/kustomization.yaml',
      'overlays/production/kustomization.yaml',
      'vllm/kustomization.yaml',
    ]);
  });

  it('leave no manifest unreferenced', () => {
    const referenced = new Set(
      kustomizationFiles.flatMap((file) => {
        const k = parse(readFileSync(file, 'utf8')) as Kustomization;
        return [
          ...(k.resources ?? []),
          ...(k.patches ?? []).flatMap((p) => p.path ?? []),
          ...(k.configMapGenerator ?? []).flatMap((g) => (g.files ?? []).map((f) => f.split('=').at(-1)!)),
        ].map((ref) => resolve(dirname(file), ref));
      }),
    );
    expect(manifestFiles.filter((f) => !referenced.has(f)).map((f) => relative(k8sRoot, f))).toEqual([]);
  });

  it('compose base, keda and vllm in the production overlay, with the image tag set', () => {
    const overlay = parse(readFileSync(join(k8sRoot, 'overlays/production/kustomization.yaml'), 'utf8')) as {
      resources: string[];
      components: string[];
      images: { name: string; newTag?: string }[];
    };
    expect([...overlay.resources, ...overlay.components].sort()).toEqual([
      '../../base',
      '../../keda',
      '../../vllm',
    ]);
    expect(overlay.images.find((i) => i.name === K8S_IMAGE)?.newTag).toBeTruthy();
  });
});

describe('deploy/k8s workloads', () => {
  it('run every container as non-root, with memory limits and liveness and readiness probes', () => {
    const problems: string[] = [];
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      for (const c of pod.containers) {
        const where = `${w.metadata.name}/${c.name}`;
        const nonRoot = c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
        const user = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
        if (nonRoot !== true) problems.push(`${where}: runAsNonRoot is not set`);
        // The image names its user (`node`); the kubelet verifies runAsNonRoot only for a numeric uid.
        if (typeof user !== 'number' || user === 0) problems.push(`${where}: no numeric non-root runAsUser`);
        if (c.securityContext?.allowPrivilegeEscalation !== false)
          problems.push(`${where}: privilege escalation`);
        if (!c.resources?.limits?.['memory']) problems.push(`${where}: no memory limit`);
        if (!c.livenessProbe) problems.push(`${where}: no livenessProbe`);
        if (!c.readinessProbe) problems.push(`${where}: no readinessProbe`);
      }
    }
    expect(problems).toEqual([]);
    expect(workloads.length).toBeGreaterThanOrEqual(8);
  });

  it('run the t2s image read-only, with a writable /tmp and an entry file that exists', () => {
    const problems: string[] = [];
    const t2s = workloads.flatMap((w) =>
      w.spec.template.spec.containers.filter((c) => c.image === K8S_IMAGE).map((c) => [w, c] as const),
    );
    for (const [w, c] of t2s) {
      const where = w.metadata.name;
      if (c.securityContext?.readOnlyRootFilesystem !== true)
        problems.push(`${where}: root filesystem writable`);
      if (!c.volumeMounts?.some((m) => m.mountPath === '/tmp'))
        problems.push(`${where}: no /tmp (tsx's cache)`);
      const command = c.command ?? [];
      if (!TSX_COMMAND.every((word, i) => command[i] === word)) problems.push(`${where}: command ${command}`);
      const entry = command[TSX_COMMAND.length];
      if (!entry || !existsSync(join(repo, entry))) problems.push(`${where}: entry ${entry} does not exist`);
    }
    expect(problems).toEqual([]);
    expect(t2s.map(([w]) => w.metadata.name).sort()).toEqual(
      ['gateway', 'inference-pool', ...WORKER_QUEUES.map((q) => `worker-${q}`)].sort(),
    );
  });

  it('probe the gateway on /healthz (liveness) and /readyz (readiness)', () => {
    const gateway = workloads.find((w) => w.metadata.name === 'gateway')!.spec.template.spec.containers[0]!;
    expect(gateway.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(gateway.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(probePort(gateway, gateway.readinessProbe)).toBe(Number(envOf(gateway)['PORT']));
  });

  it('have one worker Deployment per queue, probed on its metrics port, with 256-512 MiB of memory', () => {
    const problems: string[] = [];
    for (const queue of WORKER_QUEUES) {
      const serving = workloads.filter((w) =>
        w.spec.template.spec.containers.some((c) => envOf(c)['STAGES'] === queue),
      );
      if (serving.length !== 1 || serving[0]!.kind !== 'Deployment') {
        problems.push(`${queue}: served by ${serving.length} workloads`);
        continue;
      }
      const c = serving[0]!.spec.template.spec.containers[0]!;
      const where = serving[0]!.metadata.name;
      if (envOf(c)['METRICS_PORT'] !== '9464') problems.push(`${where}: METRICS_PORT`);
      for (const probe of [c.livenessProbe, c.readinessProbe]) {
        if (probe?.httpGet?.path !== '/metrics' || probePort(c, probe) !== 9464) {
          problems.push(`${where}: probe is not GET :9464/metrics`);
        }
      }
      const limit = mebibytes(c.resources?.limits?.['memory']);
      if (!(limit >= 256 && limit <= 512)) problems.push(`${where}: memory limit ${limit} MiB`);
    }
    expect(problems).toEqual([]);
  });

  it('are annotated for Prometheus on a port they serve, and every Service selects a workload', () => {
    const problems: string[] = [];
    for (const w of workloads) {
      const annotations = w.spec.template.metadata.annotations ?? {};
      const ports = w.spec.template.spec.containers.flatMap((c) =>
        (c.ports ?? []).map((p) => p.containerPort),
      );
      if (annotations['prometheus.io/scrape'] !== 'true') problems.push(`${w.metadata.name}: not scraped`);
      if (!ports.includes(Number(annotations['prometheus.io/port']))) {
        problems.push(
          `${w.metadata.name}: scrape port ${annotations['prometheus.io/port']} is not a container port`,
        );
      }
    }
    for (const service of all.filter((m) => m.kind === 'Service')) {
      const selector = (service.spec?.['selector'] ?? {}) as Record<string, string>;
      const selects = workloads.some((w) =>
        Object.entries(selector).every(([key, value]) => w.spec.template.metadata.labels[key] === value),
      );
      if (Object.keys(selector).length === 0 || !selects)
        problems.push(`Service ${service.metadata.name} selects no pod`);
    }
    expect(problems).toEqual([]);
  });
});

describe('deploy/k8s/keda', () => {
  const scaledObjects = inDir('keda').filter((m) => m.kind === 'ScaledObject');

  it("scales each worker Deployment on its own queue's BullMQ waiting list", () => {
    const prefix = baseConfig.data!['QUEUE_PREFIX']!;
    expect(prefix.startsWith('{t2s}')).toBe(true);
    const authentications = inDir('keda')
      .filter((m) => m.kind === 'TriggerAuthentication')
      .map((m) => m.metadata.name);
    const problems: string[] = [];
    for (const so of scaledObjects) {
      const spec = so.spec as {
        scaleTargetRef: { name: string; kind?: string };
        minReplicaCount: number;
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
      };
      const where = so.metadata.name;
      const target = workloads.find(
        (w) => w.kind === 'Deployment' && w.metadata.name === spec.scaleTargetRef.name,
      );
      if (!target || (spec.scaleTargetRef.kind ?? 'Deployment') !== 'Deployment') {
        problems.push(`${where}: no Deployment ${spec.scaleTargetRef.name}`);
        continue;
      }
      const queue = envOf(target.spec.template.spec.containers[0]!)['STAGES'];
      for (const trigger of spec.triggers) {
        if (trigger.type !== 'redis') problems.push(`${where}: trigger ${trigger.type}`);
        if (!trigger.metadata['listName']?.startsWith('{t2s}:'))
          problems.push(`${where}: list outside {t2s}`);
        if (trigger.metadata['listName'] !== `${prefix}:${queue}:wait`) {
          problems.push(`${where}: watches ${trigger.metadata['listName']} but serves ${queue}`);
        }
        const addressVariable = trigger.metadata['addressFromEnv'];
        if (addressVariable && !baseConfig.data![addressVariable])
          problems.push(`${where}: no ${addressVariable}`);
        if (trigger.authenticationRef && !authentications.includes(trigger.authenticationRef.name)) {
          problems.push(`${where}: no TriggerAuthentication ${trigger.authenticationRef.name}`);
        }
      }
      if (spec.minReplicaCount < 1 || spec.maxReplicaCount < spec.minReplicaCount)
        problems.push(`${where}: bounds`);
    }
    expect(problems).toEqual([]);
    expect(
      scaledObjects.map((so) => (so.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name).sort(),
    ).toEqual(WORKER_QUEUES.map((q) => `worker-${q}`).sort());
  });
});

describe('deploy/k8s/vllm', () => {
  it("gives each GPU one addressable replica and lists every replica in the pool's LLM_ENDPOINTS", () => {
    const vllm = inDir('vllm').find((m): m is Workload => m.kind === 'StatefulSet')!;
    const service = inDir('vllm').find(
      (m) => m.kind === 'Service' && m.metadata.name === vllm.spec.serviceName,
    )!;
    expect(service.spec?.['clusterIP']).toBe('None');
    const container = vllm.spec.template.spec.containers[0]!;
    expect(container.resources?.limits?.['nvidia.com/gpu']).toBe(1);
    const port = container.ports![0]!.containerPort;
    const patch = inDir('vllm').find(
      (m) => m.kind === 'ConfigMap' && m.metadata.name === baseConfig.metadata.name,
    )!;
    const replicas = vllm.spec.replicas!;
    expect(patch.data!['LLM_ENDPOINTS']!.split(',')).toEqual(
      Array.from(
        { length: replicas },
        (_, i) => `http://${vllm.metadata.name}-${i}.${service.metadata.name}:${port}/v1`,
      ),
    );
    expect(Number(patch.data!['LLM_GPUS'])).toBe(replicas);
  });
});

// ---- Dockerfile ----

describe('Dockerfile', () => {
  const instructions = readFileSync(join(repo, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const named = (keyword: string) =>
    instructions.filter((line) => line.toUpperCase().startsWith(`${keyword} `));

  it('builds in stages and runs on Node 24 as a non-root user, with a health check', () => {
    const from = named('FROM');
    expect(from.length).toBeGreaterThanOrEqual(2);
    expect(from.at(-1)).toMatch(/^FROM node:24-bookworm-slim\b/);
    const user = named('USER').at(-1)?.split(/\s+/)[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(named('HEALTHCHECK')).toHaveLength(1);
  });

  it("copies what the processes read, and its default command's entry exists", () => {
    const copied = named('COPY').join('\n');
    for (const path of [
      'apps',
      'libs',
      'config',
      'eval',
      'prompts',
      'tsconfig.json',
      'tsconfig.base.json',
      'nx.json',
      'package.json',
      'package-lock.json',
    ]) {
      expect(copied).toContain(path);
    }
    const cmd = JSON.parse(named('CMD').at(-1)!.slice('CMD '.length)) as string[];
    expect(cmd.slice(0, TSX_COMMAND.length)).toEqual(TSX_COMMAND);
    expect(existsSync(join(repo, cmd[TSX_COMMAND.length]!))).toBe(true);
  });
});
