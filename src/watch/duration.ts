const UNITS: Record<string, number> = {ms: 1, s: 1_000, m: 60_000, h: 3_600_000}

/**
 * The shortest polling interval: 1 s (README, "Limits"). Shorter only queues passes behind watch's own
 * List Bots limiter (60 per minute); the floor keeps a typo like `--interval 1ms` from spinning.
 */
export const MIN_INTERVAL_MS = 1_000

/**
 * The longest polling interval: 24 h (README, "Limits"). Node's timers overflow past 2^31 ms (24.8 days)
 * and then fire at once, so `1000h` polled every millisecond; a day is already longer than any meeting.
 */
export const MAX_INTERVAL_MS = 24 * 3_600_000

export interface IntervalBounds {
  minMs: number
  maxMs: number
}

/**
 * The accepted interval range. `rateWindowMs` is the rate window when a test scales it down
 * (RECALLCTL_RATE_WINDOW_MS; Recall's is 60 s): the floor scales with it, so tests keep sub-second passes.
 */
export function intervalBounds(rateWindowMs?: number): IntervalBounds {
  if (rateWindowMs === undefined || !(rateWindowMs > 0) || rateWindowMs >= 60_000)
    return {minMs: MIN_INTERVAL_MS, maxMs: MAX_INTERVAL_MS}
  return {minMs: Math.max(1, Math.floor((MIN_INTERVAL_MS * rateWindowMs) / 60_000)), maxMs: MAX_INTERVAL_MS}
}

/**
 * `15s`, `500ms`, `2m`, `1h`, or a bare number of seconds → milliseconds (pure). Returns a sentence
 * for people when the text is not a duration or is outside `bounds` (1 s to 24 h by default).
 */
export function parseDuration(
  text: string,
  flag = '--interval',
  bounds: IntervalBounds = intervalBounds(),
): {ok: true; ms: number} | {ok: false; message: string} {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text)
  if (match === null)
    return {ok: false, message: `${flag} "${text}" is not a duration: write a number with a unit, e.g. 15s, 500ms, 2m or 1h.`}
  const ms = Math.round(Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()]!)
  if (!(ms >= bounds.minMs && ms <= bounds.maxMs))
    return {
      ok: false,
      message: `${flag} ${text.trim()} is out of range: use a duration from ${formatDuration(bounds.minMs)} to ${formatDuration(bounds.maxMs)}, e.g. 15s.`,
    }
  return {ok: true, ms}
}

/** `15000` → `15s`, for logs. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms % 1_000 === 0) return `${ms / 1_000}s`
  return `${ms}ms`
}
