import {ENDPOINT_GROUPS, type EndpointGroup} from './endpoints.js'
import type {RetryReason} from './retry-policy.js'

/**
 * What the client tells its caller as it works: apply's progress bar and NDJSON stream are built on
 * these. A 429 produces `rate_limited` (not also `retry`); every other retried failure produces `retry`.
 */
export type RecallClientEvent =
  | {
      type: 'request'
      endpoint: EndpointGroup
      botId: string | null
      /** 1 for the first attempt of a call. */
      attempt: number
      /** HTTP status; null when no answer came (then `error` names the failure: `ECONNRESET`, `timeout`). */
      status: number | null
      error?: string
      /** From the attempt leaving the limiter to its answer read in full. */
      ms: number
    }
  | {
      type: 'rate_limited'
      endpoint: EndpointGroup
      botId: string | null
      status: 429
      /** The attempt that will follow the wait. */
      attempt: number
      /** Retry-After plus jitter. */
      waitMs: number
    }
  | {
      type: 'retry'
      endpoint: EndpointGroup
      botId: string | null
      /** The attempt that will follow the wait. */
      attempt: number
      reason: RetryReason
      /** Status that caused the retry (502, 503, 504, 409), or null for connection failures and timeouts. */
      status: number | null
      waitMs: number
    }

export type RecallClientEventListener = (event: RecallClientEvent) => void

/** Running totals since the client was created (benchmarks and apply's summary read them). */
export interface RecallClientCounters {
  /** Attempts sent, per endpoint (retries included). */
  requests: Record<EndpointGroup, number>
  /** 429 answers received. */
  rateLimited: Record<EndpointGroup, number>
  /** Attempts repeated after a failure, 429s included. */
  retries: Record<EndpointGroup, number>
  /** Time calls spent waiting after 429s (Retry-After plus jitter), summed over calls. */
  rateLimitWaitMs: number
  /** Time attempts spent waiting for a slot in their endpoint's limiter, summed over attempts. */
  limiterWaitMs: number
}

const perEndpoint = (): Record<EndpointGroup, number> =>
  Object.fromEntries(ENDPOINT_GROUPS.map((group) => [group, 0])) as Record<EndpointGroup, number>

export function emptyCounters(): RecallClientCounters {
  return {requests: perEndpoint(), rateLimited: perEndpoint(), retries: perEndpoint(), rateLimitWaitMs: 0, limiterWaitMs: 0}
}

export function copyCounters(counters: RecallClientCounters): RecallClientCounters {
  return {
    requests: {...counters.requests},
    rateLimited: {...counters.rateLimited},
    retries: {...counters.retries},
    rateLimitWaitMs: counters.rateLimitWaitMs,
    limiterWaitMs: counters.limiterWaitMs,
  }
}
