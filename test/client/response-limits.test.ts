import type {ServerResponse} from 'node:http'
import {afterEach, describe, expect, it} from 'vitest'
import {createRecallClient, type RecallClient, type RecallClientOptions} from '../../src/recall/client/client.js'
import {RecallApiError} from '../../src/recall/client/errors.js'
import type {RecallClientEvent} from '../../src/recall/client/events.js'
import {MAX_RESPONSE_BYTES} from '../../src/recall/client/read-response.js'
import {DEFAULT_RETRY_POLICY, formatWait} from '../../src/recall/client/retry-policy.js'
import {API_KEY, bot, FAST_RETRY, sendJson, startFixture, type Fixture, type FixtureHandler} from './fixture-server.js'

// Item 5 of issue 11 (network side): answers are size- and time-capped; a long Retry-After is not slept through.

const BOT = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
const MB = 1024 * 1024

let fixture: Fixture | undefined
let client: RecallClient | undefined

async function setup(handler: FixtureHandler, options: Partial<RecallClientOptions> = {}) {
  const events: RecallClientEvent[] = []
  fixture = await startFixture(handler)
  client = createRecallClient({
    baseUrl: fixture.url,
    apiKey: API_KEY,
    retry: FAST_RETRY,
    onEvent: (e) => events.push(e),
    ...options,
  })
  return {fixture, client, events}
}

afterEach(async () => {
  await client?.close()
  await fixture?.close()
  client = undefined
  fixture = undefined
})

const caught = async (promise: Promise<unknown>): Promise<RecallApiError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RecallApiError)
  return error as RecallApiError
}

/**
 * Streams up to `total` bytes of one JSON string, 1 MB at a time, waiting for the socket to drain:
 * `written()` tells how much the client let through before it stopped reading.
 */
function streamHuge(total: number, headers: Record<string, string | number> = {}) {
  let written = 0
  let finished: () => void
  const done = new Promise<void>((resolve) => (finished = resolve))
  const handler = async (_req: unknown, res: ServerResponse) => {
    res.on('close', () => finished())
    res.writeHead(200, {'content-type': 'application/json', ...headers})
    res.write('{"id":"x","padding":"')
    const chunk = Buffer.alloc(MB, 'a')
    while (written < total && !res.destroyed) {
      written += chunk.length
      if (!res.write(chunk))
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go)
            res.off('close', go)
            resolve()
          }
          res.on('drain', go)
          res.on('close', go)
        })
    }
    if (!res.destroyed) res.end('"}')
  }
  return {handler, written: () => written, done}
}

describe('answers are capped in size', () => {
  it('a 200 MB answer stops being read past 20 MB: a clear error, no retry, the rest never sent', async () => {
    const huge = streamHuge(200 * MB)
    const {fixture, client} = await setup(huge.handler)
    const error = await caught(client.retrieveBot(BOT))
    expect(error).toMatchObject({kind: 'invalid_response', code: 'RESPONSE_TOO_LARGE', attempts: 1})
    expect(error.message).toMatch(/larger than 20 MB/)
    expect(error.message).toContain(`Reading bot ${BOT}`)
    expect(fixture.requests).toHaveLength(1)
    await huge.done
    // What the kernel's socket buffers took, not 200 MB.
    expect(huge.written()).toBeLessThan(100 * MB)
    expect(MAX_RESPONSE_BYTES).toBe(20 * MB)
  })

  it('an answer declared larger than the cap is not read at all', async () => {
    const huge = streamHuge(200 * MB, {'content-length': 200 * MB + 23})
    const {client} = await setup(huge.handler)
    const error = await caught(client.listBots())
    expect(error).toMatchObject({code: 'RESPONSE_TOO_LARGE', endpoint: 'list_bots'})
    await huge.done
    expect(huge.written()).toBeLessThan(100 * MB)
  })

  it('the cap is an option; an answer just under it is read', async () => {
    const body = JSON.stringify(bot(BOT, {padding: 'b'.repeat(1000)}))
    const {client} = await setup((_q, res) => sendJson(res, 200, JSON.parse(body)), {maxResponseBytes: body.length})
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    const {client: small} = await setup((_q, res) => sendJson(res, 200, JSON.parse(body)), {maxResponseBytes: body.length - 1})
    await expect(small.retrieveBot(BOT)).rejects.toMatchObject({code: 'RESPONSE_TOO_LARGE'})
    await small.close()
  })
})

describe('answers are capped in time', () => {
  it('headers that never come: a sub-second headers deadline, retried, then a network error naming it', async () => {
    const {fixture, client, events} = await setup(() => {}, {timeouts: {headersMs: 150}, retry: {...FAST_RETRY, maxAttempts: 2}})
    const error = await caught(client.retrieveBot(BOT))
    expect(error).toMatchObject({kind: 'network', code: 'UND_ERR_HEADERS_TIMEOUT', attempts: 2})
    expect(error.message).toContain('no answer came within 150 ms')
    expect(fixture.requests).toHaveLength(2)
    expect(events.find((e) => e.type === 'retry')).toMatchObject({reason: 'timeout'})
  })

  it('a body that stops arriving: the body deadline between chunks', async () => {
    const {client} = await setup(
      (_q, res) => {
        res.writeHead(200, {'content-type': 'application/json'})
        res.write('{"id":')
      },
      {timeouts: {bodyMs: 150}, retry: {...FAST_RETRY, maxAttempts: 1}},
    )
    const error = await caught(client.retrieveBot(BOT))
    expect(error).toMatchObject({kind: 'network', code: 'UND_ERR_BODY_TIMEOUT'})
    expect(error.message).toContain('the answer stopped arriving for 150 ms')
  })

  it('a body that keeps trickling resets the body deadline but not the attempt deadline', async () => {
    const {client} = await setup(
      (_q, res) => {
        res.writeHead(200, {'content-type': 'application/json'})
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 20)
        res.on('close', () => clearInterval(timer))
      },
      {timeouts: {bodyMs: 150, attemptMs: 400}, retry: {...FAST_RETRY, maxAttempts: 1}},
    )
    const error = await caught(client.retrieveBot(BOT))
    expect(error).toMatchObject({kind: 'network', code: 'timeout'})
  })
})

describe('a Retry-After over the cap ends the call instead of sleeping', () => {
  it('Retry-After: 900 on start_recording: one request, a sentence with the wait, the cap and what to do', async () => {
    const {fixture, client, events} = await setup((_q, res) =>
      sendJson(res, 429, {detail: 'Request was throttled.'}, {'retry-after': '900'}),
    )
    const error = await caught(client.startRecording(BOT, {}, {idempotencyKey: 'k1'}))
    expect(fixture.requests).toHaveLength(1)
    expect(error).toMatchObject({kind: 'http', status: 429, attempts: 1})
    expect(error.message).toContain('Recall asked to wait 15 min (over the 5 min cap); run apply again later.')
    expect(events.filter((e) => e.type === 'rate_limited')).toEqual([])
  })

  it('an HTTP date an hour away, on a read', async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString()
    const {fixture, client} = await setup((_q, res) => sendJson(res, 429, {detail: 'slow down'}, {'retry-after': later}))
    const error = await caught(client.retrieveBot(BOT))
    expect(fixture.requests).toHaveLength(1)
    expect(error.message).toMatch(/Recall asked to wait (60|61) min \(over the 5 min cap\); run again later\./)
  })

  it('the default cap is 5 minutes, and waits are written for people', () => {
    expect(DEFAULT_RETRY_POLICY.maxRetryAfterMs).toBe(300_000)
    expect([45_000, 300_000, 900_000, 9_000_000, 5 * 86_400_000].map(formatWait)).toEqual([
      '45 s',
      '5 min',
      '15 min',
      '2 h 30 min',
      '5 days',
    ])
  })
})
