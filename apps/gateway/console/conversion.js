// Conversion of a finished segment (issue 16, BR3): the target and the control group's rates with their
// Wilson 95% intervals drawn as whiskers (Chart.js), the lift, the segments made for the same offer by
// origin, and the outcomes imported as a CSV file or from the warehouse. Every call is the public API.
import { h } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

const html = htm.bind(h);
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const percent = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** Draws each bar's interval (`intervals[i]` in percent, or null) as a whisker over it. */
const whiskers = {
  id: 't2sIntervalWhiskers',
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    const y = chart.scales.y;
    chart.getDatasetMeta(0).data.forEach((bar, i) => {
      const interval = options.intervals?.[i];
      if (!interval) return;
      const top = y.getPixelForValue(interval.high);
      const bottom = y.getPixelForValue(interval.low);
      const half = Math.min(10, bar.width / 4);
      ctx.save();
      ctx.strokeStyle = '#222';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(bar.x, top);
      ctx.lineTo(bar.x, bottom);
      ctx.moveTo(bar.x - half, top);
      ctx.lineTo(bar.x + half, top);
      ctx.moveTo(bar.x - half, bottom);
      ctx.lineTo(bar.x + half, bottom);
      ctx.stroke();
      ctx.restore();
    });
  },
};

/** The rows the chart and the table show: the segment's groups, then the same offer's origins. */
function rowsOf(report, t) {
  const rows = [{ key: 'target', label: t.conversionTarget, group: report.target, color: '#1f3a5f' }];
  if (report.control)
    rows.push({ key: 'control', label: t.conversionControl, group: report.control, color: '#b8bfc9' });
  for (const origin of report.comparison?.origins ?? []) {
    if (origin.segments === 0) continue;
    rows.push({
      key: `origin-${origin.origin}`,
      label: `${t.origins[origin.origin]} (${origin.segments})`,
      group: origin,
      color: '#7a9cc6',
    });
  }
  return rows;
}

export function Conversion({ id, t, lang, api }) {
  const [report, setReport] = useState(null);
  const [note, setNote] = useState(null);
  const [imported, setImported] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const canvas = useRef(null);
  const chart = useRef(null);
  const load = useCallback(
    () =>
      api('GET', `/v1/segments/${id}/conversion`).then(setReport, (err) => {
        setReport(null);
        setNote(err.message);
      }),
    [id, api],
  );
  useEffect(() => {
    setNote(null);
    void load();
  }, [load]);

  const rows = report ? rowsOf(report, t) : [];
  useEffect(() => {
    if (!report || !canvas.current) return undefined;
    const toPercent = (x) => (x === null ? 0 : Math.round(x * 10000) / 100);
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.label),
        datasets: [
          {
            label: t.rate,
            data: rows.map((r) => toPercent(r.group.rate)),
            backgroundColor: rows.map((r) => r.color),
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        // Room above the highest whisker, which Chart.js does not count as data.
        scales: {
          y: {
            beginAtZero: true,
            suggestedMax: Math.max(0, ...rows.map((r) => toPercent(r.group.interval?.high ?? 0))) * 1.1,
            title: { display: true, text: '%' },
          },
        },
        plugins: {
          legend: { display: false },
          t2sIntervalWhiskers: {
            intervals: rows.map((r) =>
              r.group.interval
                ? { low: toPercent(r.group.interval.low), high: toPercent(r.group.interval.high) }
                : null,
            ),
          },
        },
      },
      plugins: [whiskers],
    });
    return () => chart.current?.destroy();
  }, [report, t]);

  const run = async (call) => {
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      setImported(await call());
      await load();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  const upload = (event) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    void run(() => api('POST', `/v1/segments/${id}/outcomes`, new Blob([file], { type: 'text/csv' })));
  };
  const fromWarehouse = () => run(() => api('POST', `/v1/segments/${id}/outcomes/warehouse`));

  if (!report) {
    return note && !/NOT_FOUND/.test(note)
      ? html`<div class="card"><p class="error" data-test="conversion-error">${note}</p></div>`
      : null;
  }
  const n = (x) => x.toLocaleString(lang);
  return html`
    <div class="card conversion" data-test="conversion" data-recorded=${report.outcomes.recorded}>
      <h3>${t.conversion}</h3>
      <p class="muted">
        ${[
          report.controlShare === null ? t.noControlGroup : t.controlShareIs(percent(report.controlShare)),
          t.outcomesRecorded(n(report.outcomes.recorded), n(report.outcomes.imports)),
        ].join(' · ')}
      </p>
      <div class="chart" style="height: 220px">
        <canvas ref=${canvas} data-test="conversion-chart" data-bars=${rows.length}></canvas>
      </div>
      <table class="conversion-table">
        <thead>
          <tr>
            <th></th>
            <th>${t.size}</th>
            <th>${t.converted}</th>
            <th>${t.rate}</th>
            <th>${t.interval}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr key=${r.key} data-test=${`conversion-row-${r.key}`} data-rate=${r.group.rate ?? ''}>
                <th>${r.label}</th>
                <td>${n(r.group.size)}</td>
                <td>${n(r.group.converted)}</td>
                <td>${percent(r.group.rate)}</td>
                <td>
                  ${r.group.interval ? `${percent(r.group.interval.low)} – ${percent(r.group.interval.high)}` : '—'}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${report.lift ? html`<p data-test="conversion-lift">${liftText(report.lift, t)}</p>` : null}
      <p class="muted">${t.causalNote}</p>
      ${report.comparison ? html`<p class="muted">${t.historicalNote}</p>` : null}
      <div class="conversion-actions">
        <label
          >${t.uploadOutcomes}
          <input
            data-test="conversion-upload"
            type="file"
            accept=".csv,text/csv"
            disabled=${busy}
            onChange=${upload}
        /></label>
        <button data-test="conversion-warehouse" disabled=${busy} onClick=${fromWarehouse}>
          ${t.fromWarehouse}
        </button>
      </div>
      ${
        imported
          ? html`<p data-test="conversion-imported" data-stored=${imported.stored}>
              ${t.imported(n(imported.lines), n(imported.stored), n(imported.alreadyStored), n(imported.notMembers))}
            </p>`
          : null
      }
      ${error ? html`<p class="error" data-test="conversion-import-error">${error}</p>` : null}
    </div>
  `;
}

/** "Lift over control: 9.91×, difference 22.8 [10.8; 29.9] points". */
function liftText(lift, t) {
  const points = (x) => (x * 100).toFixed(1);
  const ratio = lift.ratio === null ? '—' : `${lift.ratio.toFixed(2)}×`;
  const { low, high } = lift.differenceInterval;
  return `${t.lift}: ${ratio}, ${t.liftDifference} ${points(lift.difference)} [${points(low)}; ${points(high)}] ${t.points}`;
}
