/**
 * Structured JSON logs. Callers pass facts, never secrets: no codes, tokens, passwords
 * or full addresses (use maskEmail).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(base: Record<string, unknown> = {}): Logger {
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ level, msg, ...base, ...fields, time: new Date().toISOString() });
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** "alice@example.com" -> "a***@example.com": enough to correlate, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { error: err.name, error_message: err.message, stack: err.stack };
  return { error: String(err) };
}
