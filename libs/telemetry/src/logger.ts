import pino, { type Logger, type LoggerOptions } from 'pino';
import { activeTraceIds } from './spans';

export type { Logger } from 'pino';

export interface LoggerSettings {
  /** `service` on every line: gateway, worker:sql, inference-pool, cli. */
  service: string;
  /** Read for `LOG_LEVEL` (default info) and `LOG_PRETTY` (1/0; default: pretty only on a TTY). */
  env?: NodeJS.ProcessEnv;
  /** Where lines go (default stdout); a spec passes a stream to read them. */
  destination?: pino.DestinationStream;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Keys whose values never reach a log line: SQL text and its literals, personal data, secrets. At info
 * the code logs ids and codes only; these are the net under a mistake.
 */
export const REDACTED_KEYS = [
  'sql',
  'query',
  'ids',
  'criteria',
  'text',
  'password',
  'secret',
  'apiKey',
  'authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.sql',
  '*.ids',
  '*.criteria',
  '*.text',
];

/**
 * The process's logger: JSON lines (pino) with `service`, the active trace's `trace_id`/`span_id`, and
 * whatever ids the caller binds (`requestId`, `segmentId`, `revisionId`, `stage`, `jobId`, `pass`,
 * `code`). Level from LOG_LEVEL; pretty-printed only on a terminal, so a container's output stays JSON.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const env = settings.env ?? process.env;
  const level = (env['LOG_LEVEL'] ?? 'info').toLowerCase();
  if (!LEVELS.includes(level)) throw new RangeError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  const pretty = env['LOG_PRETTY'] === undefined ? process.stdout.isTTY === true : env['LOG_PRETTY'] === '1';
  const options: LoggerOptions = {
    level,
    base: { service: settings.service },
    redact: { paths: REDACTED_KEYS, censor: '[redacted]' },
    mixin: () => {
      const ids = activeTraceIds();
      return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
    },
  };
  if (settings.destination) return pino(options, settings.destination);
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(options);
}
