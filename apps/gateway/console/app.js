// The review console: marketers create a segment from an offer, watch it run, read and edit the
// criteria and the SQL (with the guard's verdict before running), see the data each criterion reads,
// its count and the funnel, download the ids, compare revisions and approve. Preact with htm and
// CodeMirror, no build step: the gateway
// serves these files and the vendored modules as they are. Every call is the public API, with the key
// the person enters (kept in this tab's sessionStorage only). The contract's value lists come from
// contract.js, written from @t2s/contracts (never copied here: a spec fails when they drift).
import { h, render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { TEXTS } from './i18n.js';
import { createSqlEditor, setSqlCatalog, setSqlText } from './sql-editor.js';
import { Explain, Portrait, RunDiff } from './insights.js';
import { Conversion } from './conversion.js';
import { isMeaningful, unparsedSpans } from './understanding.js';
import { Builder } from './builder.js';
import {
  EXECUTED_SEGMENT_STATUSES as EXECUTED,
  OFFER_CHANNELS,
  OFFER_PRODUCT_TYPES,
  SEGMENT_STATUSES,
  STAGES,
} from './contract.js';

const html = htm.bind(h);

/**
 * Calls the API with the person's key: JSON in and out, or, with `accept` (a CSV download), the body
 * as a Blob.
 */
function useApi(key) {
  return useCallback(
    async (method, path, body, accept) => {
      if (!key) throw new Error('UNAUTHORIZED: enter an API key');
      const response = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(accept ? { accept } : {}),
          // A Blob (an outcomes CSV) goes as it is, with its own type; anything else as JSON.
          ...(body === undefined
            ? {}
            : { 'content-type': body instanceof Blob ? body.type || 'text/csv' : 'application/json' }),
        },
        ...(body === undefined ? {} : { body: body instanceof Blob ? body : JSON.stringify(body) }),
      });
      if (response.ok && accept) return response.blob();
      const text = await response.text();
      const json = text ? JSON.parse(text) : null;
      if (!response.ok)
        throw new Error(
          json?.error ? `${json.error.code}: ${json.error.message}` : `HTTP ${response.status}`,
        );
      return json;
    },
    [key],
  );
}

/** Polls `load` every `ms` while `active`; returns [value, reload]. */
function usePolling(load, ms, active, deps) {
  const [value, setValue] = useState(null);
  const reload = useCallback(() => load().then(setValue, () => undefined), deps);
  useEffect(() => {
    void reload();
    if (!active) return undefined;
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [reload, active, ms]);
  return [value, reload];
}

function App() {
  const [lang, setLang] = useState(localStorage.getItem('t2s.lang') ?? 'ru');
  const [keyInput, setKeyInput] = useState(sessionStorage.getItem('t2s.key') ?? '');
  const [key, setKey] = useState(keyInput);
  const [selected, setSelected] = useState(null);
  // The key applies once typing pauses: no calls (and 401s) with half a key.
  useEffect(() => {
    const timer = setTimeout(() => {
      sessionStorage.setItem('t2s.key', keyInput);
      setKey(keyInput);
    }, 400);
    return () => clearTimeout(timer);
  }, [keyInput]);
  const t = TEXTS[lang];
  const api = useApi(key);
  const [statusFilter, setStatusFilter] = useState('');
  const [list, reloadList] = usePolling(
    () => api('GET', `/v1/segments?limit=50${statusFilter ? `&status=${statusFilter}` : ''}`),
    3000,
    Boolean(key),
    [api, statusFilter],
  );

  const changeLang = (next) => {
    localStorage.setItem('t2s.lang', next);
    document.documentElement.lang = next;
    setLang(next);
  };

  return html`
    <header>
      <h1>${t.title}</h1>
      <label
        >${t.apiKey}
        <input
          data-test="api-key"
          type="password"
          value=${keyInput}
          onInput=${(e) => setKeyInput(e.target.value.trim())}
      /></label>
      <button data-test="lang" onClick=${() => changeLang(lang === 'ru' ? 'en' : 'ru')}>
        ${lang === 'ru' ? 'English' : 'Русский'}
      </button>
    </header>
    <main>
      <aside>
        <${NewSegment}
          t=${t}
          api=${api}
          onCreated=${(id) => {
            setSelected(id);
            void reloadList();
          }}
        />
        <h2>${t.segments}</h2>
        <label
          >${t.statusFilter}<select
            data-test="status-filter"
            value=${statusFilter}
            onChange=${(e) => setStatusFilter(e.target.value)}
          >
            <option value="">${t.allStatuses}</option>
            ${SEGMENT_STATUSES.map((s) => html`<option value=${s}>${t.status[s]}</option>`)}
          </select></label
        >
        ${!list?.items?.length ? html`<p class="muted">${t.noSegments}</p>` : null}
        <ul class="segments">
          ${(list?.items ?? []).map(
            (s) =>
              html`<li
                key=${s.id}
                class=${s.id === selected ? 'active' : ''}
                data-test="segment-item"
                onClick=${() => setSelected(s.id)}
              >
                <strong>${s.title}</strong>
                <span class=${`status ${s.status}`} data-test="segment-status" data-status=${s.status}
                  >${t.status[s.status]}</span
                >
                ${s.size === null ? null : html`<span class="muted">${s.size.toLocaleString(lang)}</span>`}
                ${s.approvedRevision ? html`<span class="approved">✓</span>` : null}
              </li>`,
          )}
        </ul>
      </aside>
      <section>
        ${selected ? html`<${SegmentView} key=${selected} id=${selected} t=${t} lang=${lang} api=${api} onChanged=${reloadList} />` : html`<p class="muted">${t.select}</p>`}
      </section>
    </main>
  `;
}

function NewSegment({ t, api, onCreated }) {
  const [form, setForm] = useState({
    title: '',
    type: 'credit_card',
    name: '',
    channel: 'PUSH',
    description: '',
    conditions: '',
    criteria: '',
    warehouse: localStorage.getItem('t2s.warehouse') ?? 'bank',
    controlShare: '',
  });
  const [error, setError] = useState(null);
  // The served warehouses; a text field stands in when the list cannot be read.
  const [warehouses, setWarehouses] = useState(null);
  useEffect(() => {
    api('GET', '/v1/warehouses').then(
      (list) => setWarehouses(list.items.map((w) => w.name)),
      () => setWarehouses(null),
    );
  }, [api]);
  useEffect(() => {
    if (warehouses?.length && !warehouses.includes(form.warehouse))
      setForm((f) => ({ ...f, warehouse: warehouses[0] }));
  }, [warehouses]);
  const set = (field) => (e) => setForm({ ...form, [field]: e.target.value });
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      localStorage.setItem('t2s.warehouse', form.warehouse);
      const conditions = form.conditions
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      const body = {
        options: {
          warehouse: form.warehouse,
          ...(form.controlShare.trim()
            ? { controlShare: Number(form.controlShare.trim().replace(',', '.')) }
            : {}),
        },
        offer: {
          product: { type: form.type, ...(form.name.trim() ? { name: form.name.trim() } : {}) },
          title: form.title,
          channel: form.channel,
          ...(form.description ? { description: form.description } : {}),
          ...(conditions.length ? { conditions } : {}),
        },
        ...(form.criteria.trim() ? { criteria: form.criteria.trim() } : {}),
      };
      const accepted = await api('POST', '/v1/segments', body);
      onCreated(accepted.id);
    } catch (err) {
      setError(err.message);
    }
  };
  return html`
    <form class="card" onSubmit=${submit}>
      <h2>${t.newSegment}</h2>
      <label
        >${t.offerTitle}<input data-test="offer-title" required value=${form.title} onInput=${set('title')}
      /></label>
      <label
        >${t.product}<input
          data-test="product"
          list="products"
          required
          value=${form.type}
          onInput=${set('type')}
        />
        <datalist id="products">
          ${OFFER_PRODUCT_TYPES.map((p) => html`<option value=${p} />`)}
        </datalist></label
      >
      <label
        >${t.productName}<input data-test="product-name" value=${form.name} onInput=${set('name')}
      /></label>
      <label
        >${t.channel}<select data-test="channel" value=${form.channel} onChange=${set('channel')}>
          ${OFFER_CHANNELS.map((c) => html`<option value=${c}>${c}</option>`)}
        </select></label
      >
      <label
        >${t.description}<textarea
          data-test="offer-description"
          rows="2"
          value=${form.description}
          onInput=${set('description')}
        ></textarea>
      </label>
      <label
        >${t.conditions}<textarea
          data-test="offer-conditions"
          rows="2"
          value=${form.conditions}
          onInput=${set('conditions')}
        ></textarea>
      </label>
      <label
        >${t.warehouse}${
          warehouses?.length
            ? html`<select data-test="warehouse" value=${form.warehouse} onChange=${set('warehouse')}>
                ${warehouses.map((w) => html`<option value=${w}>${w}</option>`)}
              </select>`
            : html`<input
                data-test="warehouse"
                required
                value=${form.warehouse}
                onInput=${set('warehouse')}
              />`
        }</label
      >
      <label
        >${t.criteriaOptional}<textarea
          data-test="offer-criteria"
          rows="3"
          value=${form.criteria}
          onInput=${set('criteria')}
        ></textarea>
      </label>
      <label
        >${t.controlShare}<input
          data-test="control-share"
          inputmode="decimal"
          placeholder="0.1"
          value=${form.controlShare}
          onInput=${set('controlShare')}
      /></label>
      <button data-test="create" type="submit">${t.create}</button>
      ${error ? html`<p class="error">${error}</p>` : null}
    </form>
  `;
}

function SegmentView({ id, t, lang, api, onChanged }) {
  const [running, setRunning] = useState(true);
  const [segment, reload] = usePolling(() => api('GET', `/v1/segments/${id}`), 1000, running, [api, id]);
  useEffect(() => {
    if (!segment) return;
    const active = segment.status === 'queued' || segment.status === 'running';
    setRunning(active);
    // A finished run changes the list's status and size: show it there too.
    if (!active) onChanged();
  }, [segment?.status, segment?.revision]);
  const [error, setError] = useState(null);
  const act = async (method, path, body) => {
    setError(null);
    try {
      await api(method, path, body);
      setRunning(true);
      await reload();
      onChanged();
    } catch (err) {
      setError(err.message);
    }
  };
  if (!segment) return null;
  const result = segment.result;
  return html`
    <article data-test="segment" data-status=${segment.status}>
      <h2>${segment.offer.title} <small class="muted">#${segment.revision}</small></h2>
      <${Progress} segment=${segment} t=${t} />
      ${segment.error ? html`<p class="error" data-test="segment-error">${t.error}: ${segment.error.code}, ${segment.error.message}</p>` : null}
      ${error ? html`<p class="error" data-test="action-error">${error}</p>` : null}
      ${segment.criteria ? html`<${Criteria} segment=${segment} t=${t} lang=${lang} onRun=${(criteria) => act('POST', `/v1/segments/${id}/revisions`, { criteria })} />` : null}
      ${segment.criteria ? html`<${Builder} key=${segment.revision} segment=${segment} lang=${lang} api=${api} onRun=${(body) => act('POST', `/v1/segments/${id}/revisions`, body)} />` : null}
      <${SqlEditor}
        segment=${segment}
        t=${t}
        api=${api}
        onRun=${(sql) => act('POST', `/v1/segments/${id}/revisions`, { sql })}
      />
      ${result ? html`<${Result} id=${id} result=${result} t=${t} lang=${lang} api=${api} />` : null}
      ${
        result && EXECUTED.includes(segment.status)
          ? html`<${RunDiff} id=${id} revision=${segment.revision} t=${t} lang=${lang} api=${api} />
              <${Explain} id=${id} t=${t} lang=${lang} api=${api} />
              <${Portrait} key=${segment.revision} id=${id} t=${t} lang=${lang} api=${api} />
              <${Conversion}
                key=${`conversion-${segment.revision}`}
                id=${id}
                t=${t}
                lang=${lang}
                api=${api}
              />`
          : null
      }
      <${Revisions} segment=${segment} t=${t} />
      ${
        EXECUTED.includes(segment.status)
          ? segment.approval?.revision === segment.revision
            ? html`<p class="approved" data-test="approved">${t.approved}: #${segment.approval.revision}</p>`
            : html`<button
                data-test="approve"
                class="primary"
                onClick=${() => act('POST', `/v1/segments/${id}/approval`, { revision: segment.revision })}
              >
                ${t.approve}
              </button>`
          : null
      }
    </article>
  `;
}

function Progress({ segment, t }) {
  const current = STAGES.indexOf(segment.stage);
  return html`<ol class="progress">
    ${STAGES.map((stage, i) => {
      const state =
        EXECUTED.includes(segment.status) || i < current ? 'done' : i === current ? segment.status : 'todo';
      return html`<li class=${state}>${t.stages[stage]}</li>`;
    })}
    <li class=${`status ${segment.status}`} data-test="status">${t.status[segment.status]}</li>
  </ol>`;
}

function Criteria({ segment, t, lang, onRun }) {
  const [text, setText] = useState(segment.criteria.text);
  useEffect(() => setText(segment.criteria.text), [segment.criteria.text]);
  const counts = segment.result?.perCriterionCounts ?? {};
  const funnel = segment.result?.funnel ?? [];
  const top = Math.max(1, ...funnel.map((s) => s.remaining), ...Object.values(counts));
  const textOf = (cid) => segment.criteria.items.find((c) => c.id === cid)?.text ?? cid;
  return html`
    <div class="card">
      <h3>${t.criteria}</h3>
      <textarea
        data-test="criteria-text"
        rows="5"
        value=${text}
        onInput=${(e) => setText(e.target.value)}
      ></textarea>
      <button
        data-test="rerun-criteria"
        disabled=${text.trim() === segment.criteria.text.trim()}
        onClick=${() => onRun(text)}
      >
        ${t.rerunCriteria}
      </button>
      ${personSql(segment) ? html`<p class="warn" data-test="person-sql">${t.personSql}</p>` : null}
      <${Understanding} segment=${segment} t=${t} />
      <table data-test="criteria-table">
        <tr>
          <th>${t.criterion}</th>
          <th>${t.data}</th>
          <th>${t.alone}</th>
        </tr>
        ${segment.criteria.items.map(
          (c) =>
            html`<tr>
              <td>
                ${c.kind === 'exclude' ? '− ' : ''}${c.text}
                ${c.source === 'precedent' ? html` <span class="source precedent" data-test="criterion-source" data-source=${c.source}>${t.sources.precedent}</span>` : null}
                <${Provenance} provenance=${c.provenance} t=${t} />
              </td>
              <td><${CriterionData} columns=${c.columns} /></td>
              <td>${counts[c.id] === undefined ? '' : counts[c.id].toLocaleString(lang)}</td>
            </tr>`,
        )}
      </table>
      ${
        funnel.length
          ? html`<h3>${t.funnel}</h3>
              <div class="funnel" data-test="funnel">
                ${funnel.map(
                  (step) =>
                    html`<div class="step">
                      <span class="label">${textOf(step.criterion)}</span>
                      <span class="bar" style=${`width:${Math.max(1, (100 * step.remaining) / top)}%`}></span>
                      <span class="value">${step.remaining.toLocaleString(lang)}</span>
                    </div>`,
                )}
              </div>`
          : null
      }
    </div>
  `;
}

/**
 * What of the text was not understood: the coverage, and the criteria text with each unparsed fragment
 * marked where it stands (fragments the text does not contain are listed apart). Shown whenever a
 * fragment counts, so also on a run that failed with CRITERIA_PARTIAL.
 */
function Understanding({ segment, t }) {
  const understanding = segment.understanding;
  if (!understanding || !understanding.unparsed.some(isMeaningful)) return null;
  const { spans, elsewhere } = unparsedSpans(segment.criteria.text, understanding.unparsed);
  return html`<div class="understanding" data-test="understanding" data-coverage=${understanding.coverage}>
    <p class="warn" data-test="needs-review-note">
      ${t.notUnderstood(Math.round(understanding.coverage * 100))}
    </p>
    ${
      spans.some((span) => span.unparsed)
        ? html`<p class="understood-text" data-test="criteria-highlight">
            ${spans.map((span) =>
              span.unparsed
                ? html`<mark class="unparsed" data-test="unparsed" title=${t.unparsed}>${span.text}</mark>`
                : span.text,
            )}
          </p>`
        : null
    }
    ${elsewhere.length ? html`<p class="warn" data-test="unparsed-elsewhere">${t.unparsed}: ${elsewhere.join('; ')}</p>` : null}
  </div>`;
}

/** Whether the run's SQL is a person's: the latest revision that set criteria or SQL set SQL (as the store decides). */
function personSql(segment) {
  const setter = segment.revisions.findLast((r) => ['initial', 'criteria', 'sql'].includes(r.kind));
  return setter?.kind === 'sql';
}

/**
 * Where a criterion adopted from past campaigns comes from: each campaign, nearest first, with the day
 * it was approved (an ISO day, even when the record holds a datetime), then how its threshold or values
 * were taken from theirs. Codes and days break at their hyphens, so each part keeps to one line.
 */
function Provenance({ provenance, t }) {
  if (!provenance?.precedents?.length) return null;
  const day = (at) => /^\d{4}-\d{2}-\d{2}/.exec(at ?? '')?.[0];
  const adapted = t.adapted[provenance.adapted];
  return html`<ul class="provenance" data-test="criterion-provenance" data-adapted=${provenance.adapted}>
    ${provenance.precedents.map((p) => {
      const on = day(p.approvedAt);
      return html`<li
        data-test="provenance-campaign"
        data-campaign=${p.campaign}
        title=${p.approvedBy ? t.approvedBy(p.approvedBy) : ''}
      >
        <span class="nowrap">${t.fromCampaign(p.campaign)}</span>${
          on ? html` · <span class="nowrap">${t.approvedOn(on)}</span>` : null
        }
      </li>`;
    })}
    ${adapted ? html`<li class="muted" data-test="provenance-adapted">${adapted(provenance.precedents.length)}</li>` : null}
  </ul>`;
}

/**
 * The columns a criterion's SQL reads, with the first sentence of each catalog comment (the whole
 * comment, and the table's, on hover). Key columns (joins, the client id) filter nothing and are left out.
 */
function CriterionData({ columns }) {
  const shown = (columns ?? []).filter((c) => !c.key);
  if (!shown.length) return null;
  const firstSentence = (text) => (text ?? '').split(/(?<=[.;])\s/)[0];
  return html`<ul class="data" data-test="criterion-data">
    ${shown.map(
      (c) =>
        html`<li title=${[c.tableDescription, c.description].filter(Boolean).join('\n')}>
          <code>${c.table}.${c.column}</code> <span class="muted">${firstSentence(c.description)}</span>
        </li>`,
    )}
  </ul>`;
}

function SqlEditor({ segment, t, api, onRun }) {
  const [sql, setSql] = useState(segment.sql ?? '');
  const [verdict, setVerdict] = useState(null);
  const host = useRef();
  const editor = useRef();
  useEffect(() => {
    editor.current = createSqlEditor(host.current, sql, setSql);
    return () => editor.current.destroy();
  }, []);
  useEffect(() => {
    setSql(segment.sql ?? '');
    setSqlText(editor.current, segment.sql ?? '');
  }, [segment.sql]);
  useEffect(() => {
    let live = true;
    const warehouse = encodeURIComponent(segment.options.warehouse);
    api('GET', `/v1/catalog?warehouse=${warehouse}`).then(
      (catalog) => live && setSqlCatalog(editor.current, catalog),
      () => undefined,
    );
    return () => (live = false);
  }, [api, segment.options.warehouse]);
  const timer = useRef();
  useEffect(() => {
    clearTimeout(timer.current);
    if (!sql.trim()) return setVerdict(null);
    timer.current = setTimeout(() => {
      api('POST', '/v1/sql/check', { sql, warehouse: segment.options.warehouse }).then(
        (result) => setVerdict({ ...result, sql }),
        (err) => setVerdict({ accepted: false, reason: err.message, sql }),
      );
    }, 300);
    return () => clearTimeout(timer.current);
  }, [sql, api, segment.options.warehouse]);
  // Only a verdict on the text as it is now counts: an older one neither shows nor enables running.
  const current = verdict?.sql === sql ? verdict : null;
  return html`
    <div class="card">
      <h3>${t.sql}</h3>
      <div class="sql-editor" ref=${host}></div>
      ${
        current
          ? html`<p
              data-test="guard-verdict"
              data-sql=${current.sql}
              class=${current.accepted ? 'ok' : 'error'}
            >
              ${current.accepted ? t.guardOk : `${t.guardRejected}: ${current.code ?? ''} ${current.reason ?? ''}`}
            </p>`
          : null
      }
      <button
        data-test="run-sql"
        disabled=${!current?.accepted || sql.trim() === (segment.sql ?? '').trim()}
        onClick=${() => onRun(sql)}
      >
        ${t.runSql}
      </button>
    </div>
  `;
}

function Result({ id, result, t, lang, api }) {
  return html`
    <div class="card">
      <p><strong>${t.size}:</strong> <span data-test="size">${result.size.toLocaleString(lang)}</span></p>
      <p><strong>${t.sample}:</strong> ${result.sampleIds.slice(0, 10).join(', ')}</p>
      <${CsvLink} id=${id} t=${t} api=${api} />
    </div>
  `;
}

/** A download through fetch: the members endpoint needs the key, which a plain link cannot send. */
function CsvLink({ id, t, api }) {
  const save = async () => {
    const blob = await api('GET', `/v1/segments/${id}/members`, undefined, 'text/csv');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `segment-${id}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return html`<button data-test="csv" onClick=${save}>${t.csv}</button>`;
}

function Revisions({ segment, t }) {
  const revisions = segment.revisions;
  const [picked, setPicked] = useState(revisions.length);
  // A new revision (this person's or another's) is the one to look at.
  useEffect(() => setPicked(revisions.length), [revisions.length]);
  const diff = useMemo(() => {
    const criteriaAt = (n) =>
      revisions.findLast((r) => r.number <= n && r.criteria !== undefined)?.criteria ?? '';
    const sqlBefore = sqlAt(revisions, picked - 1);
    const sqlAfter = sqlAt(revisions, picked);
    return [
      ...lineDiff(criteriaAt(picked - 1), criteriaAt(picked)),
      // Before a revision's SQL is generated there is nothing to compare yet.
      ...(sqlBefore === null || sqlAfter === null ? [] : lineDiff(sqlBefore, sqlAfter)),
    ];
  }, [revisions, picked]);
  return html`
    <div class="card">
      <h3>${t.revisions}</h3>
      <ul class="revisions">
        ${revisions.map(
          (r) =>
            html`<li
              key=${r.id}
              class=${r.number === picked ? 'active' : ''}
              onClick=${() => setPicked(r.number)}
            >
              #${r.number} ${r.kind}${r.author ? ` (${r.author})` : ''}
              <span class="muted">${new Date(r.createdAt).toLocaleString()}</span>
            </li>`,
        )}
      </ul>
      ${
        picked > 1
          ? html`<h4>${t.diff} #${picked - 1} → #${picked}</h4>
              <div class="diff" data-test="diff">
                ${diff.map((d) => html`<div class=${d.op}>${d.op === 'add' ? '+ ' : d.op === 'del' ? '- ' : '\u00a0 '}${d.line}</div>`)}
              </div>`
          : null
      }
    </div>
  `;
}

/**
 * The SQL revision `n` ran: a person's, else the one generated for it; a re-run runs the one before.
 * Null while a revision's SQL is still to be generated.
 */
function sqlAt(revisions, n) {
  const revision = revisions.find((r) => r.number === n);
  if (!revision) return null;
  if (revision.sql !== undefined) return revision.sql;
  if (revision.generatedSql !== undefined) return revision.generatedSql;
  return revision.kind === 'rerun' ? sqlAt(revisions, n - 1) : null;
}

/** A line diff (longest common subsequence): enough for criteria texts and SQL of a few hundred lines. */
export function lineDiff(before, after) {
  const a = before ? before.split('\n') : [];
  const b = after ? after.split('\n') : [];
  const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', line: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: 'del', line: a[i++] });
    else out.push({ op: 'add', line: b[j++] });
  }
  while (i < a.length) out.push({ op: 'del', line: a[i++] });
  while (j < b.length) out.push({ op: 'add', line: b[j++] });
  return out;
}

render(html`<${App} />`, document.getElementById('app'));
