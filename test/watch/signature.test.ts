import {createHmac} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {ReplayCache} from '../../src/watch/replay-cache.js'
import {parseWebhookSecret, verifyWebhook, WEBHOOK_TOLERANCE_MS} from '../../src/watch/webhook-signature.js'

/** Svix's published example (docs.svix.com, "Verifying payloads manually"). */
const SVIX = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}

const keyOf = (secret: string) => {
  const parsed = parseWebhookSecret(secret, 'TEST_SECRET')
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.key
}

/** The test's own signer, written from Recall's NOTES (not the code under test). */
function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
}

const headers = (id: string, timestamp: number | string, signature: string) => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
})
const at = (seconds: number) => seconds * 1000

describe('webhook signatures', () => {
  it("accepts Svix's published example", () => {
    const result = verifyWebhook({
      headers: headers(SVIX.id, SVIX.timestamp, SVIX.signature),
      body: SVIX.body,
      key: keyOf(SVIX.secret),
      nowMs: at(SVIX.timestamp),
    })
    expect(result).toEqual({ok: true, id: SVIX.id, timestampSeconds: SVIX.timestamp})
  })

  it('accepts a body given as the raw bytes', () => {
    const result = verifyWebhook({
      headers: headers(SVIX.id, SVIX.timestamp, SVIX.signature),
      body: Buffer.from(SVIX.body),
      key: keyOf(SVIX.secret),
      nowMs: at(SVIX.timestamp),
    })
    expect(result.ok).toBe(true)
  })

  it('accepts the older svix-* header names', () => {
    const result = verifyWebhook({
      headers: {'svix-id': SVIX.id, 'svix-timestamp': String(SVIX.timestamp), 'svix-signature': SVIX.signature},
      body: SVIX.body,
      key: keyOf(SVIX.secret),
      nowMs: at(SVIX.timestamp),
    })
    expect(result.ok).toBe(true)
  })

  it('accepts any matching v1 entry among several (key rotation), skipping other versions', () => {
    const other = sign('whsec_b3RoZXIgc2VjcmV0IGtleSAxMjM0NTY3OA==', SVIX.id, SVIX.timestamp, SVIX.body)
    for (const list of [
      `${other} ${SVIX.signature}`,
      `${SVIX.signature} ${other}`,
      `v2,abc ${other}  ${SVIX.signature}`,
      `v1a,${SVIX.signature.slice(3)} ${SVIX.signature}`,
    ]) {
      const result = verifyWebhook({
        headers: headers(SVIX.id, SVIX.timestamp, list),
        body: SVIX.body,
        key: keyOf(SVIX.secret),
        nowMs: at(SVIX.timestamp),
      })
      expect(result.ok, list).toBe(true)
    }
  })

  it('refuses a signature made with another secret', () => {
    const forged = sign('whsec_Zm9yZ2VkIGtleSBmb3JnZWQga2V5IDEyMzQ=', SVIX.id, SVIX.timestamp, SVIX.body)
    const result = verifyWebhook({
      headers: headers(SVIX.id, SVIX.timestamp, forged),
      body: SVIX.body,
      key: keyOf(SVIX.secret),
      nowMs: at(SVIX.timestamp),
    })
    expect(result).toMatchObject({ok: false, reason: 'no_valid_signature'})
  })

  it('refuses a valid signature over another body, id or timestamp', () => {
    const key = keyOf(SVIX.secret)
    const now = at(SVIX.timestamp)
    expect(
      verifyWebhook({headers: headers(SVIX.id, SVIX.timestamp, SVIX.signature), body: '{"test": 2432232315}', key, nowMs: now})
        .ok,
    ).toBe(false)
    expect(
      verifyWebhook({headers: headers('msg_other', SVIX.timestamp, SVIX.signature), body: SVIX.body, key, nowMs: now}).ok,
    ).toBe(false)
    expect(
      verifyWebhook({headers: headers(SVIX.id, SVIX.timestamp + 1, SVIX.signature), body: SVIX.body, key, nowMs: now}).ok,
    ).toBe(false)
  })

  it('refuses signatures that are not v1, truncated or empty', () => {
    const key = keyOf(SVIX.secret)
    for (const value of [
      '',
      ' ',
      'v2,' + SVIX.signature.slice(3),
      SVIX.signature.slice(0, -4),
      'v1,',
      'v1',
      SVIX.signature.slice(3),
    ]) {
      const result = verifyWebhook({
        headers: headers(SVIX.id, SVIX.timestamp, value),
        body: SVIX.body,
        key,
        nowMs: at(SVIX.timestamp),
      })
      expect(result.ok, JSON.stringify(value)).toBe(false)
    }
  })

  it('refuses an unsigned request', () => {
    const key = keyOf(SVIX.secret)
    expect(verifyWebhook({headers: {}, body: SVIX.body, key, nowMs: at(SVIX.timestamp)})).toMatchObject({
      ok: false,
      reason: 'missing_headers',
    })
    expect(
      verifyWebhook({
        headers: {'webhook-id': SVIX.id, 'webhook-timestamp': String(SVIX.timestamp)},
        body: SVIX.body,
        key,
        nowMs: at(SVIX.timestamp),
      }),
    ).toMatchObject({
      ok: false,
      reason: 'missing_headers',
    })
  })

  it('refuses a timestamp more than 5 minutes in the past or the future, and accepts one at the edge', () => {
    const key = keyOf(SVIX.secret)
    const check = (nowMs: number) =>
      verifyWebhook({headers: headers(SVIX.id, SVIX.timestamp, SVIX.signature), body: SVIX.body, key, nowMs})
    expect(check(at(SVIX.timestamp) + WEBHOOK_TOLERANCE_MS + 1000)).toMatchObject({ok: false, reason: 'timestamp_too_old'})
    expect(check(at(SVIX.timestamp) - WEBHOOK_TOLERANCE_MS - 1000)).toMatchObject({ok: false, reason: 'timestamp_too_new'})
    expect(check(at(SVIX.timestamp) + WEBHOOK_TOLERANCE_MS).ok).toBe(true)
    expect(check(at(SVIX.timestamp) - WEBHOOK_TOLERANCE_MS).ok).toBe(true)
  })

  it('refuses a timestamp that is not Unix seconds', () => {
    const key = keyOf(SVIX.secret)
    for (const value of ['', 'yesterday', '1614265330.5', '-1614265330', '2021-02-25T15:02:10Z']) {
      const result = verifyWebhook({
        headers: headers(SVIX.id, value, SVIX.signature),
        body: SVIX.body,
        key,
        nowMs: at(SVIX.timestamp),
      })
      expect(result.ok, value).toBe(false)
    }
  })
})

describe('webhook secrets', () => {
  it('reads the key after whsec_', () => {
    expect(keyOf(SVIX.secret)).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'))
  })

  it.each([
    ['unset', undefined, /not set/],
    ['empty', '', /not set/],
    ['without the prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /must start with "whsec_"/],
    ['an API key by mistake', 'sk_live_1234567890abcdef', /must start with "whsec_"/],
    ['nothing after the prefix', 'whsec_', /not base64/],
    ['not base64', 'whsec_not base64!', /not base64/],
    ['base64url instead of base64', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La_-Sw', /not base64/],
  ])('refuses a secret that is %s, naming the variable but never the value', (_what, value, message) => {
    const result = parseWebhookSecret(value, 'RECALL_WEBHOOK_SECRET')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.message).toMatch(message)
    expect(result.message).toContain('RECALL_WEBHOOK_SECRET')
    const secretPart = value?.replace(/^whsec_/, '')
    if (secretPart) expect(result.message).not.toContain(secretPart)
  })
})

describe('replayed webhook ids', () => {
  it('remembers an id for its time to live, then forgets it', () => {
    const cache = new ReplayCache(10_000)
    expect(cache.has('msg_1', 0)).toBe(false)
    cache.remember('msg_1', 0)
    expect(cache.has('msg_1', 1)).toBe(true)
    expect(cache.has('msg_1', 9_999)).toBe(true)
    expect(cache.has('msg_1', 10_000)).toBe(false)
    expect(cache.has('msg_2', 1)).toBe(false)
  })

  it('remembers ids long enough to cover the timestamp tolerance both ways', () => {
    const cache = new ReplayCache()
    cache.remember('msg_1', 0)
    expect(cache.has('msg_1', 2 * WEBHOOK_TOLERANCE_MS - 1)).toBe(true)
  })

  it('drops expired ids as new ones come, and the oldest beyond its size', () => {
    const cache = new ReplayCache(1_000, 3)
    cache.remember('a', 0)
    cache.remember('b', 500)
    cache.remember('c', 1_200) // a has expired
    expect(cache.size).toBe(2)
    cache.remember('d', 1_300)
    cache.remember('e', 1_400) // b has not expired (1 500), but four ids are one too many: the oldest goes
    expect(cache.size).toBe(3)
    expect(cache.has('b', 1_400)).toBe(false)
    expect(['c', 'd', 'e'].every((id) => cache.has(id, 1_400))).toBe(true)
  })
})
