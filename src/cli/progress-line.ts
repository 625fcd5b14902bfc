import type {EndpointGroup} from '../recall/client/endpoints.js'
import type {EndpointOutlook} from '../recall/client/rate-limiter.js'

/**
 * The one line of a live progress display, fitted to the terminal's width (pure). Parts are dropped,
 * least useful first, until the line fits: a narrow terminal never wraps it onto a second line.
 */
export interface ProgressFacts {
  /** `Applying`, `Reading bots`. */
  label: string
  done: number
  total: number
  /** Requests sent in the last minute. */
  perMinute: number
  /** 429 answers so far. */
  rateLimited: number
  /** Time left by the limiters' schedule; null when unknown. */
  etaMs: number | null
  /** Why calls wait now, if they do: `waiting for Recall's 300/min window: next slot in 42 s`. */
  waiting: string | null
}

/** Calls still to make on one endpoint, and the round trips that follow the last of them (a read is followed by a write). */
export interface RemainingCalls {
  endpoint: EndpointGroup
  calls: number
  roundTripsAfter: number
}

/** `1m02s`, `42s` */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  return minutes > 0 ? `${minutes}m${String(seconds).padStart(2, '0')}s` : `${seconds}s`
}

/** `300/min`, or `30 per 1.3 s` when the window is scaled (tests, benchmarks). */
export function rateLabel(limit: number, windowMs: number): string {
  return windowMs === 60_000 ? `${limit}/min` : `${limit} per ${Number((windowMs / 1000).toFixed(1))} s`
}

/**
 * Time left, from the limiters' schedule rather than from the rate so far: when the last remaining call
 * of each endpoint can start in its window, plus the round trips after it.
 */
export function etaFromSchedule(
  remaining: readonly RemainingCalls[],
  outlook: (endpoint: EndpointGroup) => EndpointOutlook,
  latencyMs: number,
): number {
  let eta = 0
  for (const r of remaining) {
    if (r.calls <= 0) continue
    const o = outlook(r.endpoint)
    // Calls beyond what may be in flight at once go in rounds of one round trip each.
    const rounds = Math.ceil(r.calls / Math.max(1, o.inFlightLimit)) - 1
    const start = Math.max(o.startsInMs(r.calls), rounds * latencyMs)
    eta = Math.max(eta, start + (r.roundTripsAfter + 1) * latencyMs)
  }
  return eta
}

/** Why the calls of the busiest waiting endpoint wait, in words; null when none waits on Recall's limits. */
export function waitingReason(outlooks: readonly EndpointOutlook[]): string | null {
  let chosen: EndpointOutlook | undefined
  for (const o of outlooks) {
    if (o.waitingFor !== 'window' && o.waitingFor !== 'retry_after') continue
    if (chosen === undefined || o.nextSlotInMs > chosen.nextSlotInMs) chosen = o
  }
  if (chosen === undefined) return null
  const inSeconds = `${Math.max(1, Math.ceil(chosen.nextSlotInMs / 1000))} s`
  if (chosen.waitingFor === 'retry_after') return `Recall answered 429: waiting ${inSeconds} as it asked`
  return `waiting for Recall's ${rateLabel(chosen.limit, chosen.windowMs)} window: next slot in ${inSeconds}`
}

const visibleLength = (text: string): number => [...text].length

/** The line, at most `width - 1` characters (the last column would wrap on some terminals). */
export function progressLine(facts: ProgressFacts, width: number): string {
  const room = Math.max(10, width - 1)
  const counts = `${facts.label} ${facts.done}/${facts.total}`
  const percent = facts.total > 0 ? Math.floor((facts.done / facts.total) * 100) : 100
  // In display order, each with its priority (lower is kept first).
  const parts: Array<{text: string; priority: number; bar?: boolean; short?: string}> = [
    {text: counts, priority: 0},
    {text: '', priority: 6, bar: true},
    {text: `${percent}%`, priority: 5},
    {text: `${Math.round(facts.perMinute)}/min`, priority: 3},
    {text: facts.etaMs === null ? '' : `ETA ${formatDuration(facts.etaMs)}`, priority: 1},
    {text: `429s: ${facts.rateLimited}`, priority: 4},
    // Narrow terminals get what follows the colon: `next slot in 42 s`.
    {text: facts.waiting ?? '', priority: 2, short: facts.waiting?.split(': ').at(-1)},
  ].filter((p) => p.bar === true || p.text !== '')
  const separator = ' · '
  const kept = new Set<number>()
  const lengthOf = (indices: Set<number>, barWidth: number) =>
    [...indices].reduce((sum, i) => sum + (parts[i]!.bar ? barWidth + 2 : visibleLength(parts[i]!.text)), 0) +
    Math.max(0, indices.size - 1) * separator.length
  const byPriority = parts.map((p, i) => ({p, i})).sort((a, b) => a.p.priority - b.p.priority)
  for (const {p, i} of byPriority) {
    const trial = new Set(kept).add(i)
    if (lengthOf(trial, p.bar ? 10 : 0) <= room) kept.add(i)
    else if (p.short !== undefined) {
      const full = p.text
      p.text = p.short
      if (lengthOf(trial, 0) <= room) kept.add(i)
      else p.text = full
    }
  }
  const barIndex = parts.findIndex((p) => p.bar)
  const barWidth = kept.has(barIndex)
    ? Math.min(30, room - lengthOf(new Set([...kept].filter((i) => i !== barIndex)), 0) - separator.length - 2)
    : 0
  const text = parts
    .filter((_, i) => kept.has(i))
    .map((p) => {
      if (!p.bar) return p.text
      const filled = facts.total > 0 ? Math.min(barWidth, Math.round((facts.done / facts.total) * barWidth)) : barWidth
      return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`
    })
    .join(separator)
  return [...text].slice(0, room).join('')
}
