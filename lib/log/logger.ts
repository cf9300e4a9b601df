import { env } from '@/lib/config/env';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, 'silent'>;

/**
 * An error as a log field: its name, message and stack, and its own fields that are plain values
 * (a PostgreSQL error's code, severity, detail). Objects hung on an error are left out: pg attaches
 * its whole client (connection parameters, the backend's secret key) to connection errors.
 */
function errorFields(e: Error): Record<string, unknown> {
  const plain = Object.entries(e).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  return { name: e.name, message: e.message, stack: e.stack, ...Object.fromEntries(plain) };
}

/** One JSON line per event on stderr/stdout, so logs stay greppable and machine-readable. */
function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < LEVELS[env().logLevel]) return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }, (_k, v: unknown) => (v instanceof Error ? errorFields(v) : v));
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
