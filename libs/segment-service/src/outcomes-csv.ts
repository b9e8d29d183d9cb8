import { OUTCOMES_CSV_HEADER } from '@t2s/contracts';
import type { OutcomeRow } from '@t2s/service-store';

/** A line the import refuses: its number in the file (1-based) and why. */
export interface OutcomeLineError {
  line: number;
  reason: string;
}

export interface ParsedOutcomes {
  rows: OutcomeRow[];
  errors: OutcomeLineError[];
}

const CLIENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An outcomes CSV (`client_id,converted_at`, the header optional) read whole: every line is checked and
 * each bad one reported with its line number, so a file is either taken entirely or refused with all its
 * problems at once. Blank lines are skipped; `converted_at` is an ISO date or date-time (UTC unless it
 * says otherwise), or empty when the time is unknown.
 */
export function parseOutcomesCsv(text: string): ParsedOutcomes {
  const rows: OutcomeRow[] = [];
  const errors: OutcomeLineError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let seenData = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (!seenData && /^"?client_id"?\s*(,\s*"?converted_at"?\s*)?$/i.test(raw.trim())) {
      seenData = true;
      return;
    }
    seenData = true;
    const fields = splitCsvLine(raw);
    if (fields === null) return void errors.push({ line, reason: 'An unclosed quote' });
    if (fields.length > 2)
      return void errors.push({ line, reason: `${fields.length} fields; expected ${OUTCOMES_CSV_HEADER}` });
    const clientId = (fields[0] ?? '').trim();
    if (!CLIENT_ID.test(clientId)) {
      return void errors.push({
        line,
        reason:
          clientId === ''
            ? 'No client_id'
            : 'A client_id is 1 to 64 letters, digits and _ . : - (as the members list gives it)',
      });
    }
    const when = (fields[1] ?? '').trim();
    if (when === '') return void rows.push({ clientId, convertedAt: null });
    const convertedAt = isoTime(when);
    if (convertedAt === null) {
      return void errors.push({
        line,
        reason: `converted_at "${when.slice(0, 40)}" is not an ISO date or date-time (2026-03-02, 2026-03-02T10:15:00Z)`,
      });
    }
    rows.push({ clientId, convertedAt });
  });
  return { rows, errors };
}

/** A date-only value is midnight UTC; a date-time without a zone is UTC. Null for an impossible date. */
function isoTime(value: string): Date | null {
  const match = ISO.exec(value);
  if (!match) return null;
  const [, y, m, d, hh, mm, ss, zone] = match;
  const date = new Date(
    Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh ?? 0), Number(mm ?? 0), Number(ss ?? 0)),
  );
  // Date.UTC rolls 2026-02-30 over into March: the fields must come back as written.
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  if (Number(hh ?? 0) > 23 || Number(mm ?? 0) > 59 || Number(ss ?? 0) > 59) return null;
  if (hh === undefined || zone === undefined || zone === 'Z') {
    const parsed = hh === undefined ? date : new Date(`${value.replace(' ', 'T').replace(/Z$/, '')}Z`);
    return Number.isNaN(parsed.getTime()) ? null : parsed;
  }
  const parsed = new Date(value.replace(' ', 'T'));
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The fields of one CSV line (RFC 4180 quotes); null for an unclosed quote. */
function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}
