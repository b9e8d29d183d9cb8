// The Grafana dashboards load, query the provisioned Prometheus, read only documented metrics, and
// every query is PromQL that promtool parses: a broken panel otherwise shows up only as "No data".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

interface DatasourceRef {
  type?: string;
  uid?: string;
}

interface Target {
  refId: string;
  expr?: string;
  datasource?: DatasourceRef;
}

interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Panel {
  id: number;
  type: string;
  title?: string;
  datasource?: DatasourceRef;
  targets?: Target[];
  gridPos: GridPos;
  fieldConfig?: { defaults?: { unit?: string } };
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  tags: string[];
  time: { from: string; to: string };
  refresh: string;
  panels: Panel[];
}

/** One PromQL query of a panel, and where it is, for error messages. */
interface Query {
  where: string;
  expr: string;
}

const grafana = join(__dirname, '../grafana');
const dashboardsDir = join(grafana, 'dashboards');
const files = readdirSync(dashboardsDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

function load(file: string): Dashboard {
  return JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as Dashboard;
}

function queriesOf(file: string): Query[] {
  return load(file).panels.flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => target.expr !== undefined)
      .map((target) => ({
        where: `${file} › "${panel.title}" (${target.refId})`,
        expr: target.expr as string,
      })),
  );
}

/** Grafana's variables replaced by values Prometheus accepts, so promtool can parse what Grafana sends. */
function asPromql(expr: string): string {
  return expr
    .replaceAll(/\$\{?__(rate_interval|interval)\}?/g, '5m')
    .replaceAll(/\$\{?__range\}?/g, '1h')
    .replaceAll(/\$\{[^}]+\}|\$\w+/g, '.*');
}

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('deploy/grafana dashboards', () => {
  it('are the five t2s dashboards, each with its own uid', () => {
    expect(files).toEqual([
      'inference-pool.json',
      'pipeline-overview.json',
      'sql-sandbox.json',
      'stages.json',
      'webhooks-and-traffic.json',
    ]);
    const uids = files.map((file) => load(file).uid);
    expect(uids.every((uid) => /^t2s-[a-z0-9-]+$/.test(uid))).toBe(true);
    expect(new Set(uids).size).toBe(files.length);
  });

  it.each(files)('%s is a Grafana 11 dashboard tagged t2s, last 6 hours, refreshed every 30s', (file) => {
    const dashboard = load(file);
    expect(dashboard).toMatchObject({
      schemaVersion: 39,
      tags: ['t2s'],
      time: { from: 'now-6h', to: 'now' },
      refresh: '30s',
    });
    expect(dashboard.title).toMatch(/^t2s /);
    expect(dashboard.panels.length).toBeGreaterThan(0);
  });

  it.each(files)('%s: every panel has a title, a unit and a query on the prometheus datasource', (file) => {
    const problems: string[] = [];
    for (const panel of load(file).panels) {
      const where = `${file} › panel ${panel.id} "${panel.title ?? ''}"`;
      if (!panel.title?.trim()) problems.push(`${where}: no title`);
      if (!panel.fieldConfig?.defaults?.unit) problems.push(`${where}: no unit`);
      if (!panel.targets?.length) problems.push(`${where}: no target`);
      // A panel or target without a datasource uses the default one, which provisioning makes Prometheus.
      const refs = [panel.datasource, ...(panel.targets ?? []).map((target) => target.datasource)];
      if (refs.some((ref) => ref !== undefined && ref.uid !== 'prometheus')) {
        problems.push(`${where}: datasource other than uid "prometheus"`);
      }
      for (const target of panel.targets ?? []) {
        if (!target.expr?.trim()) problems.push(`${where} (${target.refId}): empty expr`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(files)('%s: panels stay in the 24-column grid and no two overlap', (file) => {
    const panels = load(file).panels;
    const problems: string[] = [];
    for (const [i, a] of panels.entries()) {
      if (a.gridPos.x < 0 || a.gridPos.x + a.gridPos.w > 24) problems.push(`"${a.title}" leaves the grid`);
      for (const b of panels.slice(i + 1)) {
        if (overlaps(a.gridPos, b.gridPos)) problems.push(`"${a.title}" overlaps "${b.title}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('read only t2s metrics that docs/metrics.md documents', () => {
    const doc = readFileSync(join(__dirname, '../../docs/metrics.md'), 'utf8');
    const undocumented = files.flatMap(queriesOf).flatMap(({ where, expr }) =>
      (expr.match(/t2s_[a-z0-9_]+/g) ?? [])
        // A histogram's series are documented under the histogram's name.
        .map((name) => name.replace(/_(bucket|sum|count)$/, ''))
        .filter((name) => !doc.includes(`\`${name}\``))
        .map((name) => `${where}: ${name}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('query in PromQL that promtool parses', () => {
    const queries = files.flatMap(queriesOf);
    expect(queries.length).toBeGreaterThan(0);
    const rules = queries.map((query, n) => ({ record: `dashboard_expr_${n}`, expr: asPromql(query.expr) }));
    const dir = mkdtempSync(join(tmpdir(), 't2s-dashboards-'));
    const rulesFile = join(dir, 'dashboards.rules.yml');
    writeFileSync(rulesFile, stringify({ groups: [{ name: 'dashboards', rules }] }));
    try {
      execFileSync('promtool', ['check', 'rules', rulesFile], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
      if (failure.code === 'ENOENT') throw new Error('promtool not found: apt-get install prometheus');
      const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
      // promtool names the failing rules by record name; dashboard_expr_N is queries[N].
      const failing = [...output.matchAll(/"dashboard_expr_(\d+)"/g)]
        .map(([, n]) => queries[Number(n)])
        .map((query) => `${query?.where}: ${query?.expr}`);
      throw new Error(`promtool rejects dashboard queries:\n${failing.join('\n')}\n\n${output}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/grafana provisioning', () => {
  const provisioning = (path: string) => parse(readFileSync(join(grafana, 'provisioning', path), 'utf8'));

  it('makes Prometheus, by uid prometheus, the default datasource', () => {
    const { datasources } = provisioning('datasources/prometheus.yml') as {
      datasources: { type: string; uid: string; url: string; isDefault: boolean }[];
    };
    expect(datasources).toEqual([
      expect.objectContaining({
        type: 'prometheus',
        uid: 'prometheus',
        url: 'http://prometheus:9090',
        isDefault: true,
      }),
    ]);
  });

  it('loads the dashboards from /var/lib/grafana/dashboards into the t2s folder', () => {
    const { providers } = provisioning('dashboards/t2s.yml') as {
      providers: { type: string; folder: string; options: { path: string } }[];
    };
    expect(providers).toEqual([
      expect.objectContaining({
        type: 'file',
        folder: 't2s',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }),
      }),
    ]);
  });
});
