/**
 * When to retry a Recall call and how long to wait. Pure: the clock and the random source are arguments.
 *
 * - 429: wait `Retry-After` (seconds or HTTP date) plus 1–5 s of jitter, as Recall's own sample does.
 * - 502/503/504, connection failures, timeouts: exponential backoff with full jitter, capped.
 * - 409 (the same idempotency key is still in flight): wait, then ask again; the replay answers.
 * - Any other status is final.
 */

export interface RetryPolicy {
  /** Attempts allowed when each fails transiently (5xx, connection, timeout, 409), the first included. */
  maxAttempts: number
  /** 429 answers tolerated for one call before giving up. High: waiting out a busy workspace is normal. */
  maxRateLimitedAttempts: number
  /** Backoff before retry n (1-based) is random in [0, min(cap, base * 2^(n-1))]. */
  backoffBaseMs: number
  backoffCapMs: number
  /** Added to every Retry-After wait, uniformly in [min, max]. */
  rateLimitJitterMs: {min: number; max: number}
  /** A Retry-After longer than this is not waited out: the call fails and says how long Recall asked for. */
  maxRetryAfterMs: number
}

/**
 * The longest `Retry-After` recallctl waits out: 5 minutes (README, "Limits"). Recall's windows are a
 * minute long, so a longer wait means the workspace is blocked for a while (or the server is not Recall):
 * sleeping through it, up to maxRateLimitedAttempts times, would hang a CI job for hours. The call fails
 * at once and says how long Recall asked for.
 */
export const MAX_RETRY_AFTER_MS = 5 * 60_000

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 6,
  maxRateLimitedAttempts: 20,
  backoffBaseMs: 500,
  backoffCapMs: 20_000,
  rateLimitJitterMs: {min: 1000, max: 5000},
  maxRetryAfterMs: MAX_RETRY_AFTER_MS,
}

/** A wait for people: `45 s`, `15 min`, `2 h 30 min`, `3 days` (rounded up: never shorter than asked). */
export function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 120) return `${seconds} s`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 120) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours >= 48) return `${Math.ceil(hours / 24)} days`
  const rest = minutes % 60
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}

/** How one attempt ended. `code` names a connection failure: `ECONNRESET`, `UND_ERR_SOCKET`, `timeout`. */
export type AttemptOutcome =
  {kind: 'response'; status: number; retryAfter?: string | null | undefined} | {kind: 'network'; code: string}

export type RetryReason = 'rate_limited' | 'server_error' | 'in_flight' | 'connection' | 'timeout'

export type RetryDecision =
  | {
      retry: false
      why: 'success' | 'final_status' | 'final_network' | 'attempts_exhausted' | 'retry_after_too_long'
      retryAfterMs?: number
    }
  | {
      retry: true
      reason: RetryReason
      /** How long this call waits before its next attempt. */
      waitMs: number
      /** For 429: when the endpoint may be called again (no jitter), so other calls hold too. */
      retryAfterMs?: number
    }

/** Failures after which the request may not have reached Recall, or its answer was lost: safe to repeat. */
const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'timeout',
])

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'timeout',
])

export const isTimeoutCode = (code: string): boolean => TIMEOUT_CODES.has(code)
export const isRetryableNetworkCode = (code: string): boolean => RETRYABLE_NETWORK_CODES.has(code)

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504])

/**
 * Milliseconds from `now` that a Retry-After header asks for: delta-seconds (decimals accepted) or an
 * HTTP date. `undefined` when absent or unreadable. A date in the past means 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  // Only dates carrying a weekday or month name: Date.parse reads far too much else (`12`, `-1`...).
  if (!/[a-z]{3}/i.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}

/** Full jitter: uniformly random in [0, min(cap, base * 2^(retry-1))]. `retry` is 1 for the first retry. */
export function backoffMs(
  retry: number,
  policy: Pick<RetryPolicy, 'backoffBaseMs' | 'backoffCapMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** Math.max(0, retry - 1))
  return Math.round(random() * ceiling)
}

function jitter(policy: RetryPolicy, random: () => number): number {
  const {min, max} = policy.rateLimitJitterMs
  return Math.round(min + random() * Math.max(0, max - min))
}

export interface AttemptCounts {
  /** Attempts of this call so far that failed transiently, the one being judged included. */
  transientFailures: number
  /** 429 answers this call has had, the one being judged included. */
  rateLimited: number
}

/** What to do after one attempt. */
export function decideRetry(
  outcome: AttemptOutcome,
  counts: AttemptCounts,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): RetryDecision {
  if (outcome.kind === 'network') {
    if (!isRetryableNetworkCode(outcome.code)) return {retry: false, why: 'final_network'}
    if (counts.transientFailures >= policy.maxAttempts) return {retry: false, why: 'attempts_exhausted'}
    return {
      retry: true,
      reason: isTimeoutCode(outcome.code) ? 'timeout' : 'connection',
      waitMs: backoffMs(counts.transientFailures, policy, random),
    }
  }
  const {status} = outcome
  if (status < 300) return {retry: false, why: 'success'}
  if (status === 429) {
    if (counts.rateLimited >= policy.maxRateLimitedAttempts) return {retry: false, why: 'attempts_exhausted'}
    const asked = parseRetryAfter(outcome.retryAfter, now)
    // Recall always sends Retry-After; without one, back off as for a server error, without the zero floor.
    const retryAfterMs = asked ?? Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** (counts.rateLimited - 1))
    if (retryAfterMs > policy.maxRetryAfterMs) return {retry: false, why: 'retry_after_too_long', retryAfterMs}
    return {retry: true, reason: 'rate_limited', waitMs: retryAfterMs + jitter(policy, random), retryAfterMs}
  }
  if (status === 409 || RETRYABLE_STATUSES.has(status)) {
    if (counts.transientFailures >= policy.maxAttempts) return {retry: false, why: 'attempts_exhausted'}
    const wait = backoffMs(counts.transientFailures, policy, random)
    // A 409 is answered at once while the first request still runs: asking again immediately is pointless.
    return status === 409
      ? {retry: true, reason: 'in_flight', waitMs: Math.max(policy.backoffBaseMs, wait)}
      : {retry: true, reason: 'server_error', waitMs: wait}
  }
  return {retry: false, why: 'final_status'}
}
