import type { EvalReport, EvalSummary } from './evaluate';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function summaryRow(name: string, s: EvalSummary): string {
  return `| ${name} | ${s.cases} | ${s.executed} (${pct(s.cases ? s.executed / s.cases : 0)}) | ${s.meanJaccard.toFixed(3)} | ${pct(s.shareAbove07)} | ${s.medianRecall.toFixed(2)} | ${s.medianPrecision.toFixed(2)} | ${Math.round(s.medianLatencyMs)} | ${s.totalTokens} |`;
}

/** The report as Markdown: the summary, per warehouse, then one row per case (worst first). */
export function toMarkdown(report: EvalReport): string {
  const lines = [
    `# Evaluation: strategy ${report.strategy}, via ${report.via} (${report.startedAt})`,
    '',
    '| set | cases | executed (R7) | mean Jaccard | Jaccard > 0.7 (R8) | median recall | median precision | median latency, ms | tokens |',
    '|---|---|---|---|---|---|---|---|---|',
    summaryRow('all', report.summary),
    ...Object.entries(report.byWarehouse).map(([w, s]) => summaryRow(w, s)),
    '',
    '| case | kind | executed | Jaccard | recall | precision | target | generated | ms | note |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...[...report.cases]
      .sort((a, b) => a.jaccard - b.jaccard)
      .map(
        (c) =>
          `| ${c.warehouse}/${c.id} | ${c.kind}/${c.language} | ${c.executed ? 'yes' : 'no'} | ${c.jaccard.toFixed(3)} | ${c.recall.toFixed(2)} | ${c.precision.toFixed(2)} | ${c.targetSize} | ${c.generatedSize} | ${Math.round(c.latencyMs)} | ${
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
