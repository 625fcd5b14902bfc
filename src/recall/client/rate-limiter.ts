import {AdaptiveConcurrency, inFlightCeiling, type AttemptHealth} from './adaptive-concurrency.js'
import {ENDPOINT_GROUPS, RECALL_DOCUMENTED_LIMITS, RECALL_WINDOW_MS, type EndpointGroup} from './endpoints.js'

/**
 * One sliding-window limiter per endpoint group, as Recall limits them per workspace. Separate limiters
 * let reads and writes for different bots overlap, so a run is bounded by its busiest endpoint, not by
 * the sum. Every attempt (retries included) takes a slot when it starts, and keeps it until a window
 * after it ended: Recall counts a request when it arrives, which is after it left and before its answer
 * came, so counting from the answer can never put more in Recall's window than the limit, however long
 * the request took to arrive (a loaded machine, a burst of new connections).
 *
 * Calls in flight per endpoint follow the window: as many may start as the window still allows, up to
 * an adaptive bound (adaptive-concurrency.ts) that starts at its ceiling and halves when Recall struggles.
 * So a window's budget is spent within about one round trip whatever Recall's latency, and a run
 * reaches `(calls / limit − 1) × window + latency`.
 */
export interface RateLimiterOptions {
  /** Requests per window per endpoint. Missing ones get Recall's documented limits (300/300/60). */
  limits?: Partial<Record<EndpointGroup, number>> | undefined
  /** The window, 60 s at Recall. Tests scale it down. */
  windowMs?: number | undefined
  /**
   * Added to the window locally: a request is counted when it leaves, Recall counts it when it arrives,
   * and latency varies between requests. Default: 1% of the window, at least 50 ms.
   */
  safetyMarginMs?: number | undefined
  /** The user's `apply.concurrency`: calls in flight per endpoint at most. Unset: automatic (see inFlightCeiling). */
  concurrency?: number | undefined
  /** A monotonic clock in ms (tests pass a fake one). */
  now?: (() => number) | undefined
}

export interface ScheduleOptions {
  /** Aborting any of them cancels the task while it waits for a slot; a task already started is not affected. */
  signals?: ReadonlyArray<AbortSignal | undefined> | undefined
  /** Higher runs first among waiting tasks: retries go before fresh calls, which have waited less. */
  priority?: number | undefined
}

/** Handed to a running task: how its attempt went, for the adaptive bound on calls in flight. */
export interface Slot {
  report(health: AttemptHealth): void
}

/** Why calls on an endpoint are waiting, for progress displays. */
export type WaitReason = 'window' | 'retry_after' | 'in_flight'

/** A snapshot of one endpoint's limiter: what is running, what waits and why, and when slots open. */
export interface EndpointOutlook {
  endpoint: EndpointGroup
  /** Requests per window. */
  limit: number
  /** The window as Recall counts it (60 s), and the local one, margin included. */
  windowMs: number
  effectiveWindowMs: number
  /** Requests counted in the window: running, or ended within the last window. */
  inWindow: number
  waiting: number
  running: number
  /** Calls allowed in flight now (adaptive) and at most. */
  inFlightLimit: number
  inFlightCeiling: number
  /** Why the waiting calls wait; null when none waits. */
  waitingFor: WaitReason | null
  /** Milliseconds until the next call could start by the window and any 429 hold: 0 when one could now. */
  nextSlotInMs: number
  /** Milliseconds from now until the n-th call from now (n ≥ 1) could start, by the window and any 429 hold. */
  startsInMs(n: number): number
}

export interface EndpointLimiters {
  readonly limits: Readonly<Record<EndpointGroup, number>>
  /** The local window, margin included. */
  readonly effectiveWindowMs: number
  /** Runs `task` when the endpoint has a slot in its window and room for one more call in flight. */
  schedule<T>(endpoint: EndpointGroup, task: (slot: Slot) => Promise<T>, options?: ScheduleOptions): Promise<T>
  /** Starts nothing on `endpoint` before `epochMs` (after a 429: Recall said when to come back). */
  holdUntil(endpoint: EndpointGroup, epochMs: number): void
  /** Tasks waiting for a slot and tasks running. */
  load(endpoint: EndpointGroup): {waiting: number; running: number}
  outlook(endpoint: EndpointGroup): EndpointOutlook
  /**
   * Rejects every task still waiting for a slot with `reason` and drops the timers, so the process can
   * exit. Running tasks are left to finish.
   */
  close(reason?: Error): void
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a positive whole number, got ${String(value)}.`)
  }
  return value
}

/** Each endpoint's limit: the configured value, or Recall's documented one. */
export function effectiveLimits(limits: Partial<Record<EndpointGroup, number>> | undefined): Record<EndpointGroup, number> {
  const out = {...RECALL_DOCUMENTED_LIMITS}
  for (const group of ENDPOINT_GROUPS) {
    const value = limits?.[group]
    if (value !== undefined) out[group] = positiveInteger(`rate_limits.${group}`, value)
  }
  return out
}

export function defaultSafetyMarginMs(windowMs: number): number {
  return Math.max(50, Math.ceil(windowMs / 100))
}

/**
 * When each of the next `n` calls could start, as offsets from `now`, given the start times still in the
 * window (ascending), the limit and the window: the k-th call after the window's free slots reuses the
 * slot of the call `limit` places before it, one window later. Pure.
 */
export function slotOffsetMs(
  n: number,
  now: number,
  stamps: readonly number[],
  limit: number,
  windowMs: number,
  notBefore = now,
): number {
  if (n < 1) return 0
  const free = Math.max(0, limit - stamps.length)
  const index = n - 1
  let at: number
  if (index < free) at = now
  else {
    const beyond = index - free
    const round = Math.floor(beyond / limit)
    const position = beyond % limit
    const base = position < stamps.length ? stamps[position]! : now
    at = base + (round + 1) * windowMs
  }
  return Math.max(at, notBefore) - now
}

interface Waiter {
  start(): void
  cancel(reason: unknown): void
}

interface Lane {
  limit: number
  /** End times of the attempts that ended within the last window, ascending. Running ones count too. */
  stamps: number[]
  high: Waiter[]
  normal: Waiter[]
  running: number
  /** Monotonic time before which nothing starts (a 429's Retry-After). */
  holdUntil: number
  timer: NodeJS.Timeout | undefined
  concurrency: AdaptiveConcurrency
}

export function createRateLimiters(options: RateLimiterOptions = {}): EndpointLimiters {
  const limits = effectiveLimits(options.limits)
  const windowMs = positiveInteger('windowMs', options.windowMs ?? RECALL_WINDOW_MS)
  const margin = options.safetyMarginMs ?? defaultSafetyMarginMs(windowMs)
  if (!Number.isFinite(margin) || margin < 0) throw new TypeError(`safetyMarginMs must be 0 or more, got ${String(margin)}.`)
  const effectiveWindowMs = windowMs + margin
  const configured = options.concurrency === undefined ? undefined : positiveInteger('concurrency', options.concurrency)
  const now = options.now ?? (() => performance.now())

  let closedWith: Error | undefined
  const lanes = {} as Record<EndpointGroup, Lane>
  for (const group of ENDPOINT_GROUPS) {
    lanes[group] = {
      limit: limits[group],
      stamps: [],
      high: [],
      normal: [],
      running: 0,
      holdUntil: 0,
      timer: undefined,
      concurrency: new AdaptiveConcurrency(inFlightCeiling(limits[group], configured)),
    }
  }

  const prune = (lane: Lane, at: number): void => {
    let drop = 0
    while (drop < lane.stamps.length && lane.stamps[drop]! <= at - effectiveWindowMs) drop++
    if (drop > 0) lane.stamps.splice(0, drop)
  }

  const wakeIn = (lane: Lane, ms: number): void => {
    if (lane.timer !== undefined) clearTimeout(lane.timer)
    lane.timer = setTimeout(
      () => {
        lane.timer = undefined
        pump(lane)
      },
      Math.max(1, Math.ceil(ms)),
    )
  }

  /** Starts every waiting task the window, the hold and the bound on calls in flight allow. */
  const pump = (lane: Lane): void => {
    if (closedWith !== undefined) return
    while (lane.high.length + lane.normal.length > 0) {
      const at = now()
      prune(lane, at)
      if (at < lane.holdUntil) return wakeIn(lane, lane.holdUntil - at)
      if (lane.running >= lane.concurrency.limit) return // a finishing task pumps again
      if (lane.stamps.length + lane.running >= lane.limit) {
        // Only running attempts fill the window: the first to end pumps again.
        if (lane.stamps.length === 0) return
        return wakeIn(lane, lane.stamps[0]! + effectiveWindowMs - at)
      }
      const waiter = (lane.high.length > 0 ? lane.high : lane.normal).shift()!
      waiter.start()
    }
  }

  return {
    limits,
    effectiveWindowMs,
    schedule<T>(endpoint: EndpointGroup, task: (slot: Slot) => Promise<T>, scheduleOptions: ScheduleOptions = {}): Promise<T> {
      if (closedWith !== undefined) return Promise.reject(closedWith)
      const signals = (scheduleOptions.signals ?? []).filter((s): s is AbortSignal => s !== undefined)
      const aborted = signals.find((s) => s.aborted)
      if (aborted !== undefined) return Promise.reject(aborted.reason)
      const lane = lanes[endpoint]
      return new Promise<T>((resolve, reject) => {
        const queue = (scheduleOptions.priority ?? 0) > 0 ? lane.high : lane.normal
        const onAbort = (event: Event): void => waiter.cancel((event.target as AbortSignal).reason)
        const detach = (): void => {
          for (const signal of signals) signal.removeEventListener('abort', onAbort)
        }
        const waiter: Waiter = {
          start() {
            detach()
            lane.running++
            const ticket = lane.concurrency.started()
            let health: AttemptHealth = 'neutral'
            const slot: Slot = {report: (value) => (health = value)}
            // The slot is given back before the caller hears the answer, so it sees the limiter as it now is.
            const ended = (): void => {
              lane.running--
              lane.stamps.push(now())
              lane.concurrency.settled(ticket, health)
              pump(lane)
            }
            let result: Promise<T>
            try {
              result = Promise.resolve(task(slot))
            } catch (error) {
              result = Promise.reject(error)
            }
            result.then(
              (value) => {
                ended()
                resolve(value)
              },
              (error: unknown) => {
                ended()
                reject(error)
              },
            )
          },
          cancel(reason) {
            detach()
            const index = queue.indexOf(waiter)
            if (index >= 0) queue.splice(index, 1)
            reject(reason)
          },
        }
        for (const signal of signals) signal.addEventListener('abort', onAbort, {once: true})
        queue.push(waiter)
        pump(lane)
      })
    },
    holdUntil(endpoint: EndpointGroup, epochMs: number): void {
      const lane = lanes[endpoint]
      const delay = epochMs - Date.now()
      if (delay <= 0) return
      const until = now() + delay
      if (until <= lane.holdUntil) return
      lane.holdUntil = until
      pump(lane)
    },
    load(endpoint: EndpointGroup) {
      const lane = lanes[endpoint]
      return {waiting: lane.high.length + lane.normal.length, running: lane.running}
    },
    outlook(endpoint: EndpointGroup): EndpointOutlook {
      const lane = lanes[endpoint]
      const at = now()
      prune(lane, at)
      // Running attempts end about now, as far as the schedule can tell.
      const stamps = [...lane.stamps, ...Array.from({length: lane.running}, () => at)]
      const waiting = lane.high.length + lane.normal.length
      const held = Math.max(0, lane.holdUntil - at)
      const windowFull = stamps.length >= lane.limit
      const nextSlotInMs = Math.max(held, windowFull ? stamps[0]! + effectiveWindowMs - at : 0)
      const waitingFor: WaitReason | null =
        waiting === 0
          ? null
          : held > 0
            ? 'retry_after'
            : windowFull
              ? 'window'
              : lane.running >= lane.concurrency.limit
                ? 'in_flight'
                : null
      return {
        endpoint,
        limit: lane.limit,
        windowMs,
        effectiveWindowMs,
        inWindow: stamps.length,
        waiting,
        running: lane.running,
        inFlightLimit: lane.concurrency.limit,
        inFlightCeiling: lane.concurrency.ceiling,
        waitingFor,
        nextSlotInMs,
        startsInMs: (n) => slotOffsetMs(n, at, stamps, lane.limit, effectiveWindowMs, at + held),
      }
    },
    close(reason = new Error('The Recall client was closed before this call could start.')): void {
      closedWith ??= reason
      for (const group of ENDPOINT_GROUPS) {
        const lane = lanes[group]
        if (lane.timer !== undefined) clearTimeout(lane.timer)
        lane.timer = undefined
        for (const waiter of [...lane.high, ...lane.normal]) waiter.cancel(reason)
        lane.high.length = 0
        lane.normal.length = 0
      }
    },
  }
}
