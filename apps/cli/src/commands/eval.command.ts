import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Pool } from 'pg';
import { openWarehouse } from '@t2s/db';
import {
  evaluate,
  loadCases,
  PgTargetRunner,
  toMarkdown,
  type CaseRunner,
  type EvalCase,
  type EvalReport,
} from '@t2s/evaluation';
import { action, progress, UsageError } from '../command-runner';
import { ApiCaseRunner } from '../service/api-case-runner';
import { openInProcessRunner } from '../service/in-process-runner';

interface EvalOptions {
  cases: string;
  strategy: string;
  via: string;
  json?: string;
  markdown?: string;
  only?: string;
  minExecuted: string;
  minJaccard: string;
  minShare: string;
  maxConfidentlyWrong?: string;
  apiUrl?: string;
  apiKey?: string;
  executorRole: string;
  precedents?: string;
  precedentsPerType?: string;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .summary('score a strategy on the evaluation set (R7: executes, R8: id overlap)')
    .description(
      'Run every case of --cases: the hand-written target and the generated segment on the same warehouse ' +
        "(WAREHOUSE_URL, else the embedded PostgreSQL; it must hold the cases' schemas), then report per " +
        'case and overall: executed, the status each run ended in (succeeded, needs_review, failed), Jaccard, ' +
        'recall, precision, tokens, latency, and the runs that ended succeeded with Jaccard below 0.5 ' +
        '(confidently wrong). Markdown on stdout, JSON with --json. Exits 1 when a bar (--min-*, --max-*) is missed.',
    )
    .option(
      '--cases <dir>',
      'case directory (searched recursively; name eval/cases/unseen to score the held-out set)',
      'eval/cases',
    )
    .option('--strategy <name>', 'baseline or llm', 'baseline')
    .option('--via <mode>', 'in-process (library code) or api (a running service)', 'in-process')
    .option('--only <warehouse>', 'only the cases of one warehouse (bank, berka, bank_marketing)')
    .option('--json <file>', 'write the full report as JSON')
    .option('--markdown <file>', 'write the Markdown report to a file instead of stdout')
    .option('--min-executed <share>', 'bar: share of cases whose SQL executed', '1')
    .option('--min-jaccard <x>', 'bar: mean Jaccard', '0')
    .option('--min-share <share>', 'bar: share of cases with Jaccard above 0.7', '0')
    .option(
      '--max-confidently-wrong <n>',
      'bar: runs that ended succeeded (nothing reported unparsed) with Jaccard below 0.5',
    )
    .option(
      '--api-url <url>',
      'with --via api: the gateway (default T2S_API_URL, else http://127.0.0.1:3000)',
    )
    .option('--api-key <key>', 'with --via api: the API key (default T2S_API_KEY)')
    .option('--executor-role <name>', 'read-only role that runs generated SQL in process', 't2s_executor')
    .option(
      '--precedents <loo|dir>',
      "offers adopt criteria from past campaigns: loo, every other case of --cases (never the case's own " +
        'target); or a case directory as the archive (the own cases for held-out offers)',
    )
    .option(
      '--precedents-per-type <n>',
      "with --precedents: at most n campaigns of the offer's product type (the learning curve: 0, 1, 2, all)",
    )
    .action(action(async (options: EvalOptions) => runEval(options)));
}

async function runEval(options: EvalOptions): Promise<void> {
  if (options.strategy !== 'baseline' && options.strategy !== 'llm') {
    throw new UsageError(`--strategy must be baseline or llm, got "${options.strategy}"`);
  }
  if (options.via !== 'in-process' && options.via !== 'api') {
    throw new UsageError(`--via must be in-process or api, got "${options.via}"`);
  }
  const bars = {
    executed: share('--min-executed', options.minExecuted),
    jaccard: share('--min-jaccard', options.minJaccard),
    share: share('--min-share', options.minShare),
    confidentlyWrong:
      options.maxConfidentlyWrong === undefined
        ? Number.POSITIVE_INFINITY
        : count('--max-confidently-wrong', options.maxConfidentlyWrong),
  };
  let cases = loadCases(options.cases);
  if (options.only) cases = cases.filter((c) => c.warehouse === options.only);
  if (cases.length === 0) throw new UsageError(`No cases for warehouse ${options.only}`);
  const schemas = [...new Set(cases.map((c) => c.warehouse))];

  const warehouse = await openWarehouse({ onProgress: progress });
  const pool = new Pool({ connectionString: warehouse.url, max: 3 });
  const closers: (() => Promise<unknown>)[] = [() => warehouse.close(), () => pool.end()];
  try {
    const runner =
      options.via === 'api'
        ? apiRunner(options)
        : await openInProcessRunner({
            strategy: options.strategy,
            warehouseUrl: warehouse.url,
            pool,
            schemas,
            executorRole: options.executorRole,
            closers,
            ...precedentOptions(options, cases),
          });
    progress(
      `${cases.length} cases (${schemas.join(', ')}), strategy ${options.strategy} via ${options.via}`,
    );
    const report = await evaluate(cases, {
      runner,
      target: new PgTargetRunner(pool),
      strategy: options.strategy,
      via: options.via,
      onCase: (r) =>
        progress(
          `${r.warehouse}/${r.id}: ${r.executed ? `${r.status}, jaccard ${r.jaccard.toFixed(3)}` : `not executed (${r.error?.code})`}`,
        ),
    });
    const markdown = toMarkdown(report);
    if (options.markdown) writeFileSync(options.markdown, markdown);
    else process.stdout.write(markdown);
    if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    const missed = missedBars(report, bars);
    if (missed.length > 0) {
      process.stderr.write(`t2s: eval bars missed: ${missed.join('; ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

function apiRunner(options: EvalOptions): CaseRunner {
  const apiUrl = options.apiUrl ?? process.env['T2S_API_URL'] ?? 'http://127.0.0.1:3000';
  const apiKey = options.apiKey ?? process.env['T2S_API_KEY'];
  if (!apiKey)
    throw new UsageError(
      '--via api needs --api-key or T2S_API_KEY (npm run t2s -- apikey create --name eval)',
    );
  return new ApiCaseRunner(apiUrl, apiKey, options.strategy);
}

/** `--precedents loo` reads the cases themselves (each case's own left out), a directory its own cases. */
function precedentOptions(
  options: EvalOptions,
  cases: EvalCase[],
): { precedentCases?: EvalCase[]; precedentsPerType?: number } {
  if (options.precedents === undefined) {
    if (options.precedentsPerType !== undefined)
      throw new UsageError('--precedents-per-type needs --precedents');
    return {};
  }
  if (options.via !== 'in-process') throw new UsageError('--precedents runs in process (--via in-process)');
  const precedentCases = options.precedents === 'loo' ? cases : loadCases(options.precedents);
  if (options.precedentsPerType === undefined) return { precedentCases };
  return { precedentCases, precedentsPerType: count('--precedents-per-type', options.precedentsPerType) };
}

function share(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new UsageError(`${name} must be between 0 and 1, got "${raw}"`);
  return value;
}

function count(name: string, raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value))
    throw new UsageError(`${name} must be a whole number of runs (0 or more), got "${raw}"`);
  return value;
}

export function missedBars(
  report: Pick<EvalReport, 'summary'>,
  bars: { executed: number; jaccard: number; share: number; confidentlyWrong: number },
): string[] {
  const s = report.summary;
  const missed: string[] = [];
  if (s.executed / s.cases < bars.executed)
    missed.push(`executed ${s.executed}/${s.cases} < ${bars.executed}`);
  if (s.meanJaccard < bars.jaccard) missed.push(`mean Jaccard ${s.meanJaccard.toFixed(3)} < ${bars.jaccard}`);
  if (s.shareAbove07 < bars.share)
    missed.push(`share above 0.7 ${s.shareAbove07.toFixed(3)} < ${bars.share}`);
  if (s.confidentlyWrong > bars.confidentlyWrong)
    missed.push(`confidently wrong ${s.confidentlyWrong} > ${bars.confidentlyWrong}`);
  return missed;
}
