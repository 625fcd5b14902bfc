import {afterEach, describe, expect, it} from 'vitest'
import {createRecallClient, type RecallClient, type RecallClientOptions} from '../../src/recall/client/client.js'
import {RecallApiError} from '../../src/recall/client/errors.js'
import type {RecallClientEvent} from '../../src/recall/client/events.js'
import {API_KEY, bot, FAST_RETRY, sendJson, startFixture, type Fixture, type FixtureHandler} from './fixture-server.js'

const BOT = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'

let fixture: Fixture | undefined
let client: RecallClient | undefined

async function setup(
  handler: FixtureHandler,
  options: Partial<RecallClientOptions> = {},
): Promise<{fixture: Fixture; client: RecallClient; events: RecallClientEvent[]}> {
  const events: RecallClientEvent[] = []
  fixture = await startFixture(handler)
  client = createRecallClient({
    baseUrl: fixture.url,
    apiKey: API_KEY,
    retry: FAST_RETRY,
    onEvent: (event) => events.push(event),
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

/** Answers `first` for the first `times` requests, then a bot. */
const failing =
  (times: number, first: FixtureHandler): FixtureHandler =>
  (req, res, index) =>
    index < times ? first(req, res, index) : sendJson(res, 200, bot(BOT))

const caught = async (promise: Promise<unknown>): Promise<RecallApiError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RecallApiError)
  return error as RecallApiError
}

describe('429: waits out Retry-After', () => {
  it('in seconds, plus the (scaled) jitter', async () => {
    const {fixture, client, events} = await setup(
      failing(1, (_q, res) => sendJson(res, 429, {detail: 'slow down'}, {'retry-after': '0.3'})),
    )
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    const [first, second] = fixture.requests
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(300 + FAST_RETRY.rateLimitJitterMs.min - 2)
    const limited = events.filter((e) => e.type === 'rate_limited')
    expect(limited).toEqual([
      {type: 'rate_limited', endpoint: 'retrieve_bot', botId: BOT, status: 429, attempt: 2, waitMs: expect.any(Number)},
    ])
    expect(limited[0]!.type === 'rate_limited' && limited[0]!.waitMs).toBeGreaterThanOrEqual(305)
    expect(events.some((e) => e.type === 'retry')).toBe(false)
  })

  it('as an HTTP date', async () => {
    // HTTP dates have whole seconds: aim at the second after next so the wait is between 1 and 2 s.
    const target = Math.ceil(Date.now() / 1000) * 1000 + 1000
    const {fixture, client} = await setup(
      failing(1, (_q, res) => sendJson(res, 429, {detail: 'slow down'}, {'retry-after': new Date(target).toUTCString()})),
    )
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    expect(fixture.requests).toHaveLength(2)
    // The retry leaves no earlier than the date (clocks: Date.now vs the server's performance.now, 5 ms slack).
    const secondAtEpoch = performance.timeOrigin + fixture.requests[1]!.at
    expect(secondAtEpoch).toBeGreaterThanOrEqual(target - 5)
  })

  it('holds other calls to the endpoint until Retry-After has passed', async () => {
    const {fixture, client} = await setup(
      (_q, res, index) => (index === 0 ? sendJson(res, 429, {}, {'retry-after': '0.4'}) : sendJson(res, 200, bot(BOT))),
      {concurrency: 1},
    )
    await Promise.all([client.retrieveBot(BOT), client.retrieveBot(BOT), client.retrieveBot(BOT)])
    const [limited, ...rest] = fixture.requests
    expect(rest).toHaveLength(3)
    for (const request of rest) expect(request.at - limited!.at).toBeGreaterThanOrEqual(398)
  })

  it('gives up after maxRateLimitedAttempts with advice on rate_limits', async () => {
    const {fixture, client} = await setup((_q, res) => sendJson(res, 429, {detail: 'Too many requests'}, {'retry-after': '0'}), {
      retry: {...FAST_RETRY, maxRateLimitedAttempts: 3},
    })
    const error = await caught(client.startRecording(BOT, {}, {idempotencyKey: 'k'}))
    expect(fixture.requests).toHaveLength(3)
    expect(error).toMatchObject({status: 429, endpoint: 'start_recording', attempts: 3})
    expect(error.message).toContain('lower rate_limits.start_recording in recall.config.yaml')
  })
})

describe('transient failures are retried with backoff', () => {
  it.each([502, 503, 504])('%i', async (status) => {
    const {fixture, client, events} = await setup(failing(2, (_q, res) => sendJson(res, status, {detail: 'unavailable'})))
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    expect(fixture.requests).toHaveLength(3)
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([
      {reason: 'server_error', status, attempt: 2},
      {reason: 'server_error', status, attempt: 3},
    ])
  })

  it('a connection reset', async () => {
    const reset: FixtureHandler = (_q, res) => {
      res.socket?.resetAndDestroy()
    }
    const {fixture, client, events} = await setup(failing(1, reset))
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    expect(fixture.requests).toHaveLength(2)
    expect(events.find((e) => e.type === 'retry')).toMatchObject({reason: 'connection', status: null})
    expect(events.find((e) => e.type === 'request')).toMatchObject({status: null, error: 'ECONNRESET'})
  })

  it('a connection closed without an answer', async () => {
    const {fixture, client} = await setup(
      failing(1, (_q, res) => {
        res.socket?.destroy()
      }),
    )
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    expect(fixture.requests).toHaveLength(2)
  })

  it('a timeout (sub-second deadline)', async () => {
    const {fixture, client, events} = await setup(
      failing(1, () => {
        /* never answers */
      }),
      {timeouts: {attemptMs: 200}},
    )
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    expect(fixture.requests).toHaveLength(2)
    expect(fixture.requests[1]!.at - fixture.requests[0]!.at).toBeGreaterThanOrEqual(195)
    expect(events.find((e) => e.type === 'retry')).toMatchObject({reason: 'timeout'})
  })

  it('a body that stops arriving counts as a timeout', async () => {
    const {fixture, client} = await setup(
      failing(1, (_q, res) => {
        res.writeHead(200, {'content-type': 'application/json'})
        res.write('{"id":')
      }),
      {timeouts: {attemptMs: 200}},
    )
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    expect(fixture.requests).toHaveLength(2)
  })

  it('gives up after maxAttempts, saying what happened each time', async () => {
    const {fixture, client} = await setup((_q, res) => sendJson(res, 503, {detail: 'Service unavailable'}), {
      retry: {...FAST_RETRY, maxAttempts: 3},
    })
    const error = await caught(client.retrieveBot(BOT))
    expect(fixture.requests).toHaveLength(3)
    expect(error).toMatchObject({kind: 'http', status: 503, attempts: 3, botId: BOT, endpoint: 'retrieve_bot'})
    expect(error.message).toBe(
      `Reading bot ${BOT} failed: Recall answered 503: Service unavailable. Recall kept failing on each of 3 attempts; run again later.`,
    )
  })

  it('a timeout every time ends in a network error', async () => {
    const {fixture, client} = await setup(() => {}, {timeouts: {attemptMs: 100}, retry: {...FAST_RETRY, maxAttempts: 2}})
    const error = await caught(client.retrieveBot(BOT))
    expect(fixture.requests).toHaveLength(2)
    expect(error).toMatchObject({kind: 'network', code: 'timeout', status: null, attempts: 2})
    expect(error.message).toContain('no complete answer came within 100 ms on each of 2 attempts')
  })

  it('a refused connection ends in a network error naming the host', async () => {
    const closedFixture = await startFixture(() => {})
    const url = closedFixture.url
    await closedFixture.close()
    client = createRecallClient({baseUrl: url, apiKey: API_KEY, retry: {...FAST_RETRY, maxAttempts: 2}})
    const error = await caught(client.retrieveBot(BOT))
    expect(error).toMatchObject({kind: 'network', code: 'ECONNREFUSED', attempts: 2})
    expect(error.message).toContain(`the connection was refused on each of 2 attempts (${url})`)
  })
})

describe('writes keep their Idempotency-Key across retries', () => {
  it('409 (same key in flight) waits and asks again with the same key', async () => {
    const {fixture, client, events} = await setup(
      failing(2, (_q, res) => sendJson(res, 409, {detail: 'A request with this idempotency key is in progress.'})),
    )
    await expect(client.startRecording(BOT, {metadata: {a: 'b'}}, {idempotencyKey: 'idem-42'})).resolves.toMatchObject({id: BOT})
    expect(fixture.requests.map((r) => r.headers['idempotency-key'])).toEqual(['idem-42', 'idem-42', 'idem-42'])
    expect(new Set(fixture.requests.map((r) => r.body)).size).toBe(1)
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason)).toEqual([
      'in_flight',
      'in_flight',
    ])
    // 409 waits at least the backoff base.
    expect(fixture.requests[1]!.at - fixture.requests[0]!.at).toBeGreaterThanOrEqual(FAST_RETRY.backoffBaseMs - 1)
  })

  it('503, reset and 429 retries all reuse the key', async () => {
    const {fixture, client} = await setup(
      failing(3, (_q, res, index) => {
        if (index === 0) sendJson(res, 503, {})
        else if (index === 1) res.socket?.resetAndDestroy()
        else sendJson(res, 429, {}, {'retry-after': '0'})
      }),
    )
    await client.startRecording(BOT, {}, {idempotencyKey: 'same-key'})
    expect(fixture.requests.map((r) => r.headers['idempotency-key'])).toEqual(['same-key', 'same-key', 'same-key', 'same-key'])
  })
})

describe('final errors', () => {
  it("400 is final, with Recall's code and detail in the message", async () => {
    const {fixture, client} = await setup((_q, res) =>
      sendJson(res, 400, {code: 'cannot_command_completed_bot', detail: 'The bot has already left the call.'}),
    )
    const error = await caught(client.startRecording(BOT, {}, {idempotencyKey: 'k'}))
    expect(fixture.requests).toHaveLength(1)
    expect(error).toMatchObject({
      kind: 'http',
      status: 400,
      code: 'cannot_command_completed_bot',
      detail: 'The bot has already left the call.',
      endpoint: 'start_recording',
      botId: BOT,
      attempts: 1,
    })
    expect(error.message).toBe(
      `Starting the recording of bot ${BOT} failed: Recall answered 400 cannot_command_completed_bot: The bot has already left the call.`,
    )
  })

  it('a field-keyed 400 is summarized by field', async () => {
    const {client} = await setup((_q, res) =>
      sendJson(res, 400, {retention: {hours: ['Ensure this value is greater than or equal to 1.']}}),
    )
    const error = await caught(client.startRecording(BOT, {}, {idempotencyKey: 'k'}))
    expect(error.fieldErrors).toEqual({'retention.hours': ['Ensure this value is greater than or equal to 1.']})
    expect(error.message).toContain('Recall answered 400: retention.hours: Ensure this value is greater than or equal to 1.')
  })

  it.each([401, 403, 405, 422])('%i is not retried', async (status) => {
    const {fixture, client} = await setup((_q, res) => sendJson(res, status, {detail: 'no'}))
    await caught(client.retrieveBot(BOT))
    expect(fixture.requests).toHaveLength(1)
  })
})

describe('the API key never appears in errors', () => {
  const echo: FixtureHandler = (req, res) =>
    sendJson(res, 400, {detail: `You sent ${req.headers.authorization}`, code: String(req.headers.authorization)})

  it('even when the server echoes it in detail or code', async () => {
    const {client} = await setup(echo)
    const error = await caught(client.startRecording(BOT, {}, {idempotencyKey: 'k'}))
    for (const text of [error.message, error.detail ?? '', String(error.stack), JSON.stringify(error)]) {
      expect(text).not.toContain(API_KEY)
    }
    expect(error.detail).toBe('You sent Token <redacted>')
  })

  it('in network, exhausted-retry and field errors either', async () => {
    const handlers: FixtureHandler[] = [
      (_q, res) => {
        res.socket?.destroy()
      },
      (req, res) => sendJson(res, 503, {detail: String(req.headers.authorization)}),
      (req, res) => sendJson(res, 400, {[String(req.headers.authorization)]: [String(req.headers.authorization)]}),
      (req, res) => sendJson(res, 401, `${req.headers.authorization}`),
      (req, res) => {
        res.writeHead(500, {'content-type': 'text/plain'})
        res.end(`bad ${req.headers.authorization}`)
      },
    ]
    for (const handler of handlers) {
      const {client} = await setup(handler, {retry: {...FAST_RETRY, maxAttempts: 2}})
      const error = await caught(client.retrieveBot(BOT))
      expect(JSON.stringify({message: error.message, error, fields: error.fieldErrors})).not.toContain(API_KEY)
      await client.close()
      await fixture?.close()
    }
  })
})

describe('observability', () => {
  it('counts requests, 429s and retries per endpoint', async () => {
    const {client} = await setup(
      failing(3, (_q, res, index) => (index === 0 ? sendJson(res, 429, {}, {'retry-after': '0'}) : sendJson(res, 503, {}))),
    )
    await client.retrieveBot(BOT)
    await client.startRecording(BOT, {}, {idempotencyKey: 'k'})
    const counters = client.counters()
    expect(counters.requests).toEqual({retrieve_bot: 4, start_recording: 1, list_bots: 0})
    expect(counters.rateLimited).toEqual({retrieve_bot: 1, start_recording: 0, list_bots: 0})
    expect(counters.retries).toEqual({retrieve_bot: 3, start_recording: 0, list_bots: 0})
    expect(counters.rateLimitWaitMs).toBeGreaterThanOrEqual(FAST_RETRY.rateLimitJitterMs.min)
  })

  it('emits a request event per attempt with its status and time', async () => {
    const {client, events} = await setup(failing(1, (_q, res) => sendJson(res, 503, {})))
    await client.retrieveBot(BOT)
    const requests = events.filter((e) => e.type === 'request')
    expect(requests).toMatchObject([
      {type: 'request', endpoint: 'retrieve_bot', botId: BOT, attempt: 1, status: 503},
      {type: 'request', endpoint: 'retrieve_bot', botId: BOT, attempt: 2, status: 200},
    ])
    for (const event of requests) expect(event.type === 'request' && event.ms).toBeGreaterThanOrEqual(0)
  })

  it('a listener that throws does not fail the call', async () => {
    fixture = await startFixture((_q, res) => sendJson(res, 200, bot(BOT)))
    client = createRecallClient({
      baseUrl: fixture.url,
      apiKey: API_KEY,
      onEvent: () => {
        throw new Error('listener bug')
      },
    })
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    expect(fixture.requests).toHaveLength(1)
  })
})
