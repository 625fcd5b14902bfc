const UNITS: Record<string, number> = {ms: 1, s: 1_000, m: 60_000, h: 3_600_000}

/** The shortest polling interval: below it a watcher only queues behind its own rate limiter. */
export const MIN_INTERVAL_MS = 100

/**
 * `15s`, `500ms`, `2m`, `1h`, or a bare number of seconds → milliseconds (pure). Returns a sentence
 * for people when the text is not a duration.
 */
export function parseDuration(text: string, flag = '--interval'): {ok: true; ms: number} | {ok: false; message: string} {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text)
  if (match === null) return {ok: false, message: `${flag} "${text}" is not a duration: write a number with a unit, e.g. 15s, 500ms, 2m or 1h.`}
  const ms = Math.round(Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()]!)
  if (ms < MIN_INTERVAL_MS) return {ok: false, message: `${flag} ${text} is shorter than ${MIN_INTERVAL_MS}ms; use ${MIN_INTERVAL_MS}ms or more.`}
  return {ok: true, ms}
}

/** `15000` → `15s`, for logs. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms % 1_000 === 0) return `${ms / 1_000}s`
  return `${ms}ms`
}
