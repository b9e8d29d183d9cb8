import type { EvalReport, EvalSummary } from './evaluate';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function summaryRow(name: string, s: EvalSummary): string {
  const good = s.needsReviewAmongGood;
  return `| ${name} | ${s.cases} | ${s.executed} (${pct(s.cases ? s.executed / s.cases : 0)}) | ${s.meanJaccard.toFixed(3)} | ${pct(s.shareAbove07)} | ${s.confidentlyWrong} | ${s.needsReview} | ${good.count}/${good.of} (${pct(good.share)}) | ${s.medianRecall.toFixed(2)} | ${s.medianPrecision.toFixed(2)} | ${Math.round(s.medianLatencyMs)} | ${s.totalTokens} |`;
}

/**
 * The report as Markdown: the summary, per warehouse, then one row per case (worst first) with the
 * status it ended in. "confidently wrong": succeeded with Jaccard below 0.5; "needs review among
 * J ≥ 0.9": good runs flagged anyway (false alarms).
 */
export function toMarkdown(report: EvalReport): string {
  const lines = [
    `# Evaluation: strategy ${report.strategy}, via ${report.via} (${report.startedAt})`,
    '',
    '| set | cases | executed (R7) | mean Jaccard | Jaccard > 0.7 (R8) | confidently wrong (succeeded, J < 0.5) | needs review | needs review among J ≥ 0.9 | median recall | median precision | median latency, ms | tokens |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    summaryRow('all', report.summary),
    ...Object.entries(report.byWarehouse).map(([w, s]) => summaryRow(w, s)),
    '',
    '| case | kind | status | Jaccard | recall | precision | target | generated | ms | note |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...[...report.cases]
      .sort((a, b) => a.jaccard - b.jaccard)
      .map(
        (c) =>
          `| ${c.warehouse}/${c.id} | ${c.kind}/${c.language} | ${c.status} | ${c.jaccard.toFixed(3)} | ${c.recall.toFixed(2)} | ${c.precision.toFixed(2)} | ${c.targetSize} | ${c.generatedSize} | ${Math.round(c.latencyMs)} | ${
            c.error
              ? `${c.error.code}: ${c.error.message.replace(/\|/g, '/').slice(0, 120)}`
              : c.unparsed.length
                ? `unparsed: ${c.unparsed.join('; ').replace(/\|/g, '/').slice(0, 120)}`
                : ''
          } |`,
      ),
  ];
  return `${lines.join('\n')}\n`;
}
