// What a marketer asks of a finished segment: why a client is in or out (a checklist of the criteria),
// how the segment differs from the whole base (a chart per portrait line, Chart.js) and what changed
// since the previous run (entered, left, stayed, with the exports). Every call is the public API.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

const html = htm.bind(h);
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** A client id typed in, and each criterion passed or not with the values it read. */
export function Explain({ id, t, lang, api }) {
  const [clientId, setClientId] = useState('');
  const [answer, setAnswer] = useState(null);
  const [error, setError] = useState(null);
  const ask = async (event) => {
    event.preventDefault();
    setError(null);
    setAnswer(null);
    try {
      const wanted = encodeURIComponent(clientId.trim());
      setAnswer(await api('GET', `/v1/segments/${id}/clients/${wanted}/explain?lang=${lang}`));
    } catch (err) {
      setError(err.message);
    }
  };
  return html`
    <div class="card" data-test="explain">
      <h3>${t.explainTitle}</h3>
      <form onSubmit=${ask}>
        <label
          >${t.clientId}
          <input data-test="explain-client" value=${clientId} onInput=${(e) => setClientId(e.target.value)}
        /></label>
        <button data-test="explain-go" type="submit" disabled=${!clientId.trim()}>${t.explain}</button>
      </form>
      ${error ? html`<p class="error" data-test="explain-error">${error}</p>` : null}
      ${
        answer
          ? html`<p
                data-test="explain-verdict"
                data-member=${String(answer.member)}
                class=${answer.member ? 'in' : 'out'}
              >
                ${answer.member ? t.inSegment : t.notInSegment}
              </p>
              ${answer.sql === 'person' ? html`<p class="muted">${t.explainPersonSql}</p>` : null}
              <ul class="checklist">
                ${answer.criteria.map(
                  (c) =>
                    html`<li
                      key=${c.id}
                      data-test="explain-criterion"
                      data-passed=${String(c.passed)}
                      class=${good(c) ? 'pass' : 'fail'}
                    >
                      <span class="mark">${good(c) ? '✓' : '✗'}</span>
                      ${c.kind === 'exclude' ? html`<em>${t.excluded}: </em>` : null}${c.text}
                      ${
                        c.values.length
                          ? html`<span class="muted" data-test="explain-values"
                              >${` — ${c.values.map((v) => v.text).join('; ')}`}</span
                            >`
                          : null
                      }
                    </li>`,
                )}
              </ul>`
          : null
      }
    </div>
  `;
}

/** A criterion in the client's favour: an inclusion met, or an exclusion not met. */
function good(criterion) {
  return criterion.kind === 'include' ? criterion.passed : !criterion.passed;
}

/** The segment against the whole base, one portrait line at a time, as bars of shares. */
export function Portrait({ id, t, lang, api }) {
  const [portrait, setPortrait] = useState(null);
  const [error, setError] = useState(null);
  const [line, setLine] = useState(0);
  const canvas = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    setError(null);
    api('GET', `/v1/segments/${id}/portrait?lang=${lang}`).then(setPortrait, (err) => setError(err.message));
  }, [id, lang, api]);
  const shown = portrait?.lines[line];
  useEffect(() => {
    if (!shown || !canvas.current) return undefined;
    const percent = (share) => Math.round(share * 1000) / 10;
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: shown.buckets.map((b) => b.label),
        datasets: [
          {
            label: t.segment,
            data: shown.buckets.map((b) => percent(b.segmentShare)),
            backgroundColor: '#1f3a5f',
          },
          { label: t.base, data: shown.buckets.map((b) => percent(b.baseShare)), backgroundColor: '#b8bfc9' },
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { title: { display: true, text: '%' } } },
      },
    });
    return () => chart.current?.destroy();
  }, [shown, t]);
  if (error) return html`<div class="card"><p class="error" data-test="portrait-error">${error}</p></div>`;
  if (!portrait) return null;
  return html`
    <div class="card" data-test="portrait" data-lines=${portrait.lines.length}>
      <h3>${t.portrait}</h3>
      <p class="muted">${sizes(portrait, t, lang)}</p>
      <div class="tabs">
        ${portrait.lines.map(
          (l, i) =>
            html`<button
              key=${l.key}
              data-test="portrait-line"
              class=${i === line ? 'active' : ''}
              onClick=${() => setLine(i)}
            >
              ${l.label}
            </button>`,
        )}
      </div>
      <div class="chart" style=${`height: ${Math.max(160, (shown?.buckets.length ?? 0) * 34 + 60)}px`}>
        <canvas ref=${canvas} data-test="portrait-chart" data-buckets=${shown?.buckets.length ?? 0}></canvas>
      </div>
    </div>
  `;
}

function sizes(portrait, t, lang) {
  const n = (x) => x.toLocaleString(lang);
  return `${t.segment}: ${n(portrait.segmentSize)} · ${t.base}: ${n(portrait.baseSize)}`;
}

/** Who entered and who left since the previous result, and why: the data or the definition changed. */
export function RunDiff({ id, revision, t, lang, api }) {
  const [diff, setDiff] = useState(null);
  const [note, setNote] = useState(null);
  useEffect(() => {
    setNote(null);
    api('GET', `/v1/segments/${id}/diff`).then(setDiff, (err) => {
      setDiff(null);
      setNote(err.message);
    });
  }, [id, revision, api]);
  const save = async (change) => {
    const blob = await api('GET', `/v1/segments/${id}/diff/${change}`, undefined, 'text/csv');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `segment-${id}-${change}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return html`
    <div class="card" data-test="run-diff">
      <h3>${t.runDiff}</h3>
      ${
        diff
          ? html`<p
                data-test="run-diff-counts"
                data-entered=${diff.entered}
                data-left=${diff.left}
                data-stayed=${diff.stayed}
              >
                <span class="add">${`+${diff.entered.toLocaleString(lang)} ${t.entered}`}</span>${', '}
                <span class="del">${`−${diff.left.toLocaleString(lang)} ${t.left}`}</span>${', '}
                ${`${diff.stayed.toLocaleString(lang)} ${t.stayed}`}
              </p>
              <p class="muted" data-test="run-diff-attribution" data-attribution=${diff.attribution}>
                ${diff.attribution === 'data' ? t.dataChanged : t.definitionChanged}
              </p>
              <button data-test="diff-entered" onClick=${() => save('entered')}>${t.entered} CSV</button>
              <button data-test="diff-left" onClick=${() => save('left')}>${t.left} CSV</button>`
          : html`<p class="muted" data-test="run-diff-none">${t.noDiff}</p>`
      }
      ${note && !/NOT_FOUND/.test(note) ? html`<p class="error">${note}</p>` : null}
    </div>
  `;
}
