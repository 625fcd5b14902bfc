import PQueue from 'p-queue'
import {forwardAbort} from './abort.js'
import {ENDPOINT_GROUPS, RECALL_DOCUMENTED_LIMITS, RECALL_WINDOW_MS, type EndpointGroup} from './endpoints.js'

/**
 * One sliding-window limiter per endpoint group, as Recall limits them per workspace. Separate limiters
 * let reads and writes for different bots overlap, so a run is bounded by its busiest endpoint, not by
 * the sum. Every attempt (retries included) takes a slot when it starts.
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
  /** Requests in flight at once per endpoint. Default 8. */
  concurrency?: number | undefined
}

export interface ScheduleOptions {
  signal?: AbortSignal | undefined
  /** Higher runs first among waiting tasks: retries go before fresh calls, which have waited less. */
  priority?: number | undefined
}

export interface EndpointLimiters {
  readonly limits: Readonly<Record<EndpointGroup, number>>
  /** The local window, margin included. */
  readonly effectiveWindowMs: number
  /** Runs `task` when the endpoint has a slot in its window and under its concurrency bound. */
  schedule<T>(endpoint: EndpointGroup, task: () => Promise<T>, options?: ScheduleOptions): Promise<T>
  /** Starts nothing on `endpoint` before `epochMs` (after a 429: Recall said when to come back). */
  holdUntil(endpoint: EndpointGroup, epochMs: number): void
  /** Tasks waiting for a slot and tasks running. */
  load(endpoint: EndpointGroup): {waiting: number; running: number}
  /**
   * Rejects every task still waiting for a slot with `reason` and drops the timers, so the process can
   * exit. Running tasks are left to finish.
   */
  close(reason?: Error): void
}

export const DEFAULT_ENDPOINT_CONCURRENCY = 8

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

interface Hold {
  until: number
  timer: NodeJS.Timeout | undefined
}

export function createRateLimiters(options: RateLimiterOptions = {}): EndpointLimiters {
  const limits = effectiveLimits(options.limits)
  const windowMs = positiveInteger('windowMs', options.windowMs ?? RECALL_WINDOW_MS)
  const margin = options.safetyMarginMs ?? defaultSafetyMarginMs(windowMs)
  if (!Number.isFinite(margin) || margin < 0) throw new TypeError(`safetyMarginMs must be 0 or more, got ${String(margin)}.`)
  const effectiveWindowMs = windowMs + margin
  const concurrency = positiveInteger('concurrency', options.concurrency ?? DEFAULT_ENDPOINT_CONCURRENCY)

  let closedWith: Error | undefined
  const waiting = new Set<AbortController>()
  const queues = {} as Record<EndpointGroup, PQueue>
  const holds = {} as Record<EndpointGroup, Hold>
  for (const group of ENDPOINT_GROUPS) {
    queues[group] = new PQueue({concurrency, intervalCap: limits[group], interval: effectiveWindowMs, strict: true})
    holds[group] = {until: 0, timer: undefined}
  }

  return {
    limits,
    effectiveWindowMs,
    schedule<T>(endpoint: EndpointGroup, task: () => Promise<T>, scheduleOptions: ScheduleOptions = {}): Promise<T> {
      if (closedWith !== undefined) return Promise.reject(closedWith)
      // Aborted by close() only while the task waits; the caller's signal is forwarded for the whole task.
      const whileWaiting = new AbortController()
      waiting.add(whileWaiting)
      const detach = forwardAbort([scheduleOptions.signal], whileWaiting)
      const started = (): Promise<T> => {
        waiting.delete(whileWaiting)
        return task()
      }
      return queues[endpoint].add(started, {signal: whileWaiting.signal, priority: scheduleOptions.priority ?? 0}).finally(() => {
        waiting.delete(whileWaiting)
        detach()
      })
    },
    holdUntil(endpoint: EndpointGroup, epochMs: number): void {
      const hold = holds[endpoint]
      const delay = epochMs - Date.now()
      if (delay <= 0 || epochMs <= hold.until) return
      hold.until = epochMs
      if (hold.timer !== undefined) clearTimeout(hold.timer)
      queues[endpoint].pause()
      hold.timer = setTimeout(() => {
        hold.timer = undefined
        queues[endpoint].start()
      }, delay)
    },
    load(endpoint: EndpointGroup) {
      return {waiting: queues[endpoint].size, running: queues[endpoint].pending}
    },
    close(reason = new Error('The Recall client was closed before this call could start.')): void {
      closedWith ??= reason
      for (const controller of [...waiting]) controller.abort(reason)
      waiting.clear()
      for (const group of ENDPOINT_GROUPS) {
        const hold = holds[group]
        if (hold.timer !== undefined) clearTimeout(hold.timer)
        hold.timer = undefined
      }
    },
  }
}
