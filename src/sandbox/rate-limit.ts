/** Endpoint groups that Recall limits separately (NOTES.md), plus the optional shared `bot/{id}` bucket. */
export const RATE_GROUPS = [
  'retrieve_bot',
  'start_recording',
  'stop_recording',
  'pause_recording',
  'resume_recording',
  'list_bots',
  'create_bot',
  'shared_bot',
] as const
export type RateGroup = (typeof RATE_GROUPS)[number]

/** Requests per window, Recall's documented per-workspace figures. `shared_bot` applies with `sharedBucket`. */
export const DEFAULT_RATE_LIMITS: Record<RateGroup, number> = {
  retrieve_bot: 300,
  start_recording: 300,
  stop_recording: 300,
  pause_recording: 300,
  resume_recording: 300,
  list_bots: 60,
  create_bot: 60,
  shared_bot: 300,
}

export const DEFAULT_RATE_WINDOW_MS = 60_000

/** The groups whose calls go to `bot/{id}` paths: one bucket for all of them with `sharedBucket`. */
const BOT_ID_GROUPS: ReadonlySet<RateGroup> = new Set([
  'retrieve_bot',
  'start_recording',
  'stop_recording',
  'pause_recording',
  'resume_recording',
])

/**
 * A sliding-window log: a request is admitted when fewer than `limit` were admitted in the last
 * `windowMs`. Refused requests do not count. Times come from a monotonic clock.
 */
export class SlidingWindow {
  private stamps: number[] = []
  private head = 0

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Admits the request (returns 0) or returns how many ms until one slot frees. */
  take(now: number): number {
    const horizon = now - this.windowMs
    while (this.head < this.stamps.length && this.stamps[this.head]! <= horizon) this.head++
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps = this.stamps.slice(this.head)
      this.head = 0
    }
    if (this.stamps.length - this.head < this.limit) {
      this.stamps.push(now)
      return 0
    }
    return Math.max(1, this.stamps[this.head]! + this.windowMs - now)
  }
}

export type RateLimitSetting = number | false

export interface RateLimitConfig {
  /** Window length in ms (60 000 at Recall); tests scale it down. */
  windowMs: number
  /** Per-group limits; `false` or Infinity turns a group's limit off. */
  limits: Record<RateGroup, RateLimitSetting>
  /** All `bot/{id}` calls share one bucket (limit `shared_bot`) instead of one per endpoint. */
  sharedBucket: boolean
}

/** One workspace's limiters, made on first use per group. */
export class RateLimiter {
  private windows = new Map<RateGroup, SlidingWindow>()

  constructor(
    private config: RateLimitConfig,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  get settings(): RateLimitConfig {
    return {...this.config, limits: {...this.config.limits}}
  }

  /** Replaces the settings and forgets every window. */
  configure(config: RateLimitConfig): void {
    this.config = config
    this.windows.clear()
  }

  reset(): void {
    this.windows.clear()
  }

  /** 0 when admitted, else the wait in ms before the group admits another request. */
  take(group: RateGroup): number {
    const bucket: RateGroup = this.config.sharedBucket && BOT_ID_GROUPS.has(group) ? 'shared_bot' : group
    const limit = this.config.limits[bucket]
    if (limit === false || limit === Infinity) return 0
    let window = this.windows.get(bucket)
    if (window === undefined) {
      window = new SlidingWindow(limit, this.config.windowMs)
      this.windows.set(bucket, window)
    }
    return window.take(this.monotonicNow())
  }
}

/** `Retry-After` in whole seconds, rounded up (never 0: "retry now" would hammer the server). */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000))
}
