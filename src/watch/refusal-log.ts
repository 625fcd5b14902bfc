import type {LogFields, Logger, LogLevel} from './logger.js'

/**
 * How often refused webhooks are summed up in the log: once a minute at most (README, "Limits"). Anyone
 * who can reach the listener can send forged requests; one line each would let them flood the log.
 */
export const REFUSAL_LOG_WINDOW_MS = 60_000

/** Why a webhook was refused, as the summary line names it. */
const REASON_WORDS: Record<string, string> = {
  no_valid_signature: 'bad signature',
  missing_headers: 'unsigned',
  bad_timestamp: 'bad timestamp',
  timestamp_too_old: 'too old',
  timestamp_too_new: 'from the future',
  replayed: 'replayed',
  bad_event: 'malformed',
  body_too_large: 'too large',
  aborted: 'cut off',
}

export interface RefusalLogOptions {
  log: Logger
  windowMs?: number
  now?: () => number
}

/**
 * Refused webhooks, logged as counts: the first refusal after a quiet spell is logged in full (a wrong
 * secret shows up at once), later ones are counted, and at the end of each window with refusals one line
 * sums them up: `refused 1,000 webhooks in the last 60 s (bad signature: 990, replayed: 10)`. A flood
 * costs one line per window, whatever its size.
 */
export class RefusalLog {
  private readonly counts = new Map<string, number>()
  private windowStart = 0
  /** Refusals of this window already logged in full (the first one): a summary of only those is noise. */
  private loggedInFull = 0
  private timer: NodeJS.Timeout | undefined
  private readonly windowMs: number
  private readonly now: () => number

  constructor(private readonly options: RefusalLogOptions) {
    this.windowMs = options.windowMs ?? REFUSAL_LOG_WINDOW_MS
    this.now = options.now ?? Date.now
  }

  /** One refused webhook. `event` and `message` are used only when this one is logged in full. */
  refuse(reason: string, level: LogLevel, event: string, message: string, fields: LogFields = {}): void {
    if (this.timer === undefined) {
      this.options.log.log(level, event, message, {reason, ...fields})
      this.loggedInFull = 1
      this.windowStart = this.now()
      this.timer = setTimeout(() => this.endWindow(), this.windowMs)
      this.timer.unref?.()
    }
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1)
  }

  /** Sums up the window so far (on shutdown), if it counted more than the line already logged. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.summarize()
  }

  private endWindow(): void {
    this.timer = undefined
    if (!this.summarize()) return
    // Refusals kept coming: the next window starts now and is summed up as well (no new full line).
    this.loggedInFull = 0
    this.windowStart = this.now()
    this.timer = setTimeout(() => this.endWindow(), this.windowMs)
    this.timer.unref?.()
  }

  /** Logs the counts and clears them; false when there was nothing more to say than the full line. */
  private summarize(): boolean {
    const total = [...this.counts.values()].reduce((sum, n) => sum + n, 0)
    const byReason = Object.fromEntries(this.counts)
    this.counts.clear()
    if (total <= this.loggedInFull) return false
    const seconds = Math.max(1, Math.round((this.now() - this.windowStart) / 1000))
    const parts = Object.entries(byReason)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `${REASON_WORDS[reason] ?? reason.replace(/_/g, ' ')}: ${n.toLocaleString('en-US')}`)
    const noun = total === 1 ? 'webhook' : 'webhooks'
    this.options.log.warn(
      'webhooks_refused',
      `refused ${total.toLocaleString('en-US')} ${noun} in the last ${seconds} s (${parts.join(', ')})`,
      {
        count: total,
        by_reason: byReason,
        window_s: seconds,
      },
    )
    return true
  }
}
