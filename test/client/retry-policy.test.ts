import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {
  backoffMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryPolicy,
} from '../../src/recall/client/retry-policy.js'

const NOW = Date.parse('2026-11-25T12:00:00.000Z')
const policy: RetryPolicy = {...DEFAULT_RETRY_POLICY}
const first = {transientFailures: 0, rateLimited: 0}

describe('parseRetryAfter', () => {
  it('reads delta-seconds, decimals included', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000)
    expect(parseRetryAfter('0', NOW)).toBe(0)
    expect(parseRetryAfter('1.5', NOW)).toBe(1500)
  })

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000)
  })

  it('a date in the past means now', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', NOW)).toBe(0)
  })

  it.each([undefined, null, '', 'soon', '-5', '12abc'])('gives undefined for %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined()
  })
})

describe('backoff', () => {
  it('is full jitter under an exponential ceiling, capped', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 30}), fc.double({min: 0, max: 1, maxExcluded: true, noNaN: true}), (retry, r) => {
        const wait = backoffMs(retry, {backoffBaseMs: 500, backoffCapMs: 20_000}, () => r)
        expect(wait).toBeGreaterThanOrEqual(0)
        expect(wait).toBeLessThanOrEqual(Math.min(20_000, 500 * 2 ** (retry - 1)))
      }),
    )
  })

  it('grows with the retry number', () => {
    const top = (retry: number) => backoffMs(retry, {backoffBaseMs: 500, backoffCapMs: 20_000}, () => 0.999999)
    expect([1, 2, 3, 4, 5, 6, 7].map(top)).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 20_000])
  })
})

describe('decideRetry', () => {
  it('429 waits Retry-After (up to the 5 min cap) plus 1–5 s of jitter', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 300}), fc.double({min: 0, max: 1, maxExcluded: true, noNaN: true}), (seconds, r) => {
        const decision = decideRetry(
          {kind: 'response', status: 429, retryAfter: String(seconds)},
          {transientFailures: 0, rateLimited: 1},
          policy,
          NOW,
          () => r,
        )
        expect(decision).toMatchObject({retry: true, reason: 'rate_limited', retryAfterMs: seconds * 1000})
        if (!decision.retry) return
        expect(decision.waitMs - seconds * 1000).toBeGreaterThanOrEqual(1000)
        expect(decision.waitMs - seconds * 1000).toBeLessThanOrEqual(5000)
      }),
    )
  })

  it('429 with an HTTP date waits until then plus jitter', () => {
    const decision = decideRetry(
      {kind: 'response', status: 429, retryAfter: 'Wed, 25 Nov 2026 12:00:10 GMT'},
      {transientFailures: 0, rateLimited: 1},
      policy,
      NOW,
      () => 0,
    )
    expect(decision).toEqual({retry: true, reason: 'rate_limited', retryAfterMs: 10_000, waitMs: 11_000})
  })

  it('429 asking for a second more than the 5 min cap fails instead of waiting', () => {
    const decision = decideRetry(
      {kind: 'response', status: 429, retryAfter: '301'},
      {transientFailures: 0, rateLimited: 1},
      policy,
      NOW,
      () => 0,
    )
    expect(decision).toMatchObject({retry: false, why: 'retry_after_too_long', retryAfterMs: 301_000})
  })

  it('429 asking for longer than the maximum fails instead of waiting', () => {
    const decision = decideRetry(
      {kind: 'response', status: 429, retryAfter: '3600'},
      {transientFailures: 0, rateLimited: 1},
      policy,
      NOW,
      () => 0,
    )
    expect(decision).toMatchObject({retry: false, why: 'retry_after_too_long', retryAfterMs: 3_600_000})
  })

  it('429s stop after maxRateLimitedAttempts', () => {
    const at = (n: number) =>
      decideRetry({kind: 'response', status: 429, retryAfter: '1'}, {transientFailures: 0, rateLimited: n}, policy, NOW, () => 0)
        .retry
    expect(at(policy.maxRateLimitedAttempts - 1)).toBe(true)
    expect(at(policy.maxRateLimitedAttempts)).toBe(false)
  })

  it.each([502, 503, 504])('%i is retried with backoff', (status) => {
    expect(decideRetry({kind: 'response', status}, {transientFailures: 1, rateLimited: 0}, policy, NOW, () => 0.5)).toEqual({
      retry: true,
      reason: 'server_error',
      waitMs: 250,
    })
  })

  it('409 waits at least the backoff base before asking again', () => {
    expect(decideRetry({kind: 'response', status: 409}, {transientFailures: 1, rateLimited: 0}, policy, NOW, () => 0)).toEqual({
      retry: true,
      reason: 'in_flight',
      waitMs: 500,
    })
  })

  it.each(['ECONNRESET', 'UND_ERR_SOCKET', 'ECONNREFUSED'])('%s is retried as a connection failure', (code) => {
    expect(decideRetry({kind: 'network', code}, {transientFailures: 1, rateLimited: 0}, policy, NOW, () => 0)).toMatchObject({
      retry: true,
      reason: 'connection',
    })
  })

  it.each(['timeout', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])('%s is retried as a timeout', (code) => {
    expect(decideRetry({kind: 'network', code}, {transientFailures: 1, rateLimited: 0}, policy, NOW, () => 0)).toMatchObject({
      retry: true,
      reason: 'timeout',
    })
  })

  it('an unknown failure is final', () => {
    expect(
      decideRetry({kind: 'network', code: 'ENOTFOUND'}, {transientFailures: 1, rateLimited: 0}, policy, NOW, () => 0),
    ).toMatchObject({retry: false})
  })

  it.each([400, 401, 403, 404, 405, 422, 500, 301])('%i is final', (status) => {
    expect(decideRetry({kind: 'response', status}, {transientFailures: 1, rateLimited: 0}, policy, NOW, () => 0)).toEqual({
      retry: false,
      why: 'final_status',
    })
  })

  it('a success is not retried', () => {
    expect(decideRetry({kind: 'response', status: 200}, first, policy, NOW, () => 0)).toEqual({retry: false, why: 'success'})
  })

  it('transient failures stop at maxAttempts', () => {
    const at = (n: number) =>
      decideRetry({kind: 'response', status: 503}, {transientFailures: n, rateLimited: 0}, policy, NOW, () => 0).retry
    expect(at(policy.maxAttempts - 1)).toBe(true)
    expect(at(policy.maxAttempts)).toBe(false)
  })
})
