export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFormat = 'text' | 'json'

/** Fields of a log line; `bot_id`, `webhook_id`, counts... Values are JSON values. */
export type LogFields = Record<string, unknown>

export interface Logger {
  log(level: LogLevel, event: string, message?: string, fields?: LogFields): void
  info(event: string, message?: string, fields?: LogFields): void
  warn(event: string, message?: string, fields?: LogFields): void
  error(event: string, message?: string, fields?: LogFields): void
}

export interface LoggerOptions {
  format: LogFormat
  /** Writes one finished line (no newline); the caller scrubs secrets at this edge. */
  write: (line: string) => void
  now?: () => Date
  /** Print `debug` lines too (ignored webhooks, quiet passes). */
  debug?: boolean
}

/** Names every line has; a field of the same name is written as `field_<name>` instead of replacing it. */
const RESERVED = new Set(['time', 'level', 'event', 'message'])

const safeFields = (fields: LogFields): LogFields =>
  Object.fromEntries(Object.entries(fields).map(([key, value]) => [RESERVED.has(key) ? `field_${key}` : key, value]))

/** Keeps a text log line one line: a value from the outside (an error message) may hold newlines. */
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ')

function textValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  const flat = oneLine(text)
  return /^[^\s"=]+$/.test(flat) ? flat : JSON.stringify(flat)
}

/**
 * watch's log: one line per event. `json`: one object per line with `time`, `level`, `event`,
 * `message` (when there is one) and the fields, for log collectors. `text`: the same facts as
 * `TIME LEVEL event: message key=value ...`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? (() => new Date())
  const log = (level: LogLevel, event: string, message?: string, fields: LogFields = {}): void => {
    if (level === 'debug' && options.debug !== true) return
    const time = now().toISOString()
    fields = safeFields(fields)
    if (options.format === 'json') {
      options.write(JSON.stringify({time, level, event, ...(message === undefined ? {} : {message}), ...fields}))
      return
    }
    const pairs = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${textValue(value)}`)
    options.write(
      [time, level.toUpperCase().padEnd(5), `${event}${message === undefined ? '' : `: ${oneLine(message)}`}`, ...pairs].join(
        ' ',
      ),
    )
  }
  return {
    log,
    info: (event, message, fields) => log('info', event, message, fields),
    warn: (event, message, fields) => log('warn', event, message, fields),
    error: (event, message, fields) => log('error', event, message, fields),
  }
}
