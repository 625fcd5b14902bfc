import {getEventListeners} from 'node:events'
import {afterEach, describe, expect, it} from 'vitest'
import {createRecallClient, type RecallClient, type RecallClientOptions} from '../../src/recall/client/client.js'
import {RecallApiError} from '../../src/recall/client/errors.js'
import {API_KEY, bot, FAST_RETRY, sendJson, startFixture, type Fixture, type FixtureHandler} from './fixture-server.js'

const BOT = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'

let fixture: Fixture | undefined
let client: RecallClient | undefined

async function setup(
  handler: FixtureHandler,
  options: Partial<RecallClientOptions> = {},
): Promise<{fixture: Fixture; client: RecallClient}> {
  fixture = await startFixture(handler)
  client = createRecallClient({baseUrl: fixture.url, apiKey: API_KEY, retry: FAST_RETRY, ...options})
  return {fixture, client}
}

afterEach(async () => {
  await client?.close()
  await fixture?.close()
  client = undefined
  fixture = undefined
})

describe('request shape', () => {
  it('retrieveBot sends GET /api/v1/bot/{id}/ with Token auth and Accept json', async () => {
    const {fixture, client} = await setup((_req, res) => sendJson(res, 200, bot(BOT)))
    await expect(client.retrieveBot(BOT)).resolves.toMatchObject({id: BOT})
    const [seen] = fixture.requests
    expect(seen?.method).toBe('GET')
    expect(seen?.url).toBe(`/api/v1/bot/${BOT}/`)
    expect(seen?.headers.authorization).toBe(`Token ${API_KEY}`)
    expect(seen?.headers.accept).toBe('application/json')
    expect(seen?.body).toBe('')
  })

  it('startRecording POSTs the body as JSON to /api/v1/bot/{id}/start_recording/ with the Idempotency-Key', async () => {
    const {fixture, client} = await setup((_req, res) => sendJson(res, 200, bot(BOT)))
    const body = {retention: {type: 'timed', hours: 720}, metadata: {recallctl_digest: 'v1:abc'}}
    await expect(client.startRecording(BOT, body, {idempotencyKey: 'key-1'})).resolves.toMatchObject({id: BOT})
    const [seen] = fixture.requests
    expect(seen?.method).toBe('POST')
    expect(seen?.url).toBe(`/api/v1/bot/${BOT}/start_recording/`)
    expect(seen?.headers['content-type']).toBe('application/json')
    expect(seen?.headers['idempotency-key']).toBe('key-1')
    expect(seen?.headers.authorization).toBe(`Token ${API_KEY}`)
    expect(JSON.parse(seen?.body ?? '')).toEqual(body)
  })

  it('startRecording refuses to run without a usable idempotency key', async () => {
    const {fixture, client} = await setup((_req, res) => sendJson(res, 200, bot(BOT)))
    await expect(client.startRecording(BOT, {}, {idempotencyKey: ''})).rejects.toThrow(/idempotencyKey/)
    await expect(client.startRecording(BOT, {}, {idempotencyKey: 'two words'})).rejects.toThrow(/visible ASCII/)
    await expect(client.startRecording(BOT, {}, {idempotencyKey: 'a\r\nx-evil: 1'})).rejects.toThrow(/visible ASCII/)
    expect(fixture.requests).toHaveLength(0)
  })

  it('encodes the bot id as one path segment and refuses dot segments without a request', async () => {
    const {fixture, client} = await setup((_req, res) => sendJson(res, 200, bot('x')))
    await client.retrieveBot('a/b?c#d')
    expect(fixture.requests[0]?.url).toBe('/api/v1/bot/a%2Fb%3Fc%23d/')
    await expect(client.retrieveBot('..')).rejects.toThrow(/not a bot id/)
    await expect(client.retrieveBot('')).rejects.toThrow(/not a bot id/)
    expect(fixture.requests).toHaveLength(1)
  })

  it('keeps a base URL path prefix', async () => {
    fixture = await startFixture((_req, res) => sendJson(res, 200, bot(BOT)))
    client = createRecallClient({baseUrl: `${fixture.url}/recall/`, apiKey: API_KEY})
    await client.retrieveBot(BOT)
    expect(fixture.requests[0]?.url).toBe(`/recall/api/v1/bot/${BOT}/`)
  })

  it('reuses connections (keep-alive)', async () => {
    const {fixture, client} = await setup((_req, res) => sendJson(res, 200, bot(BOT)))
    for (let i = 0; i < 3; i++) await client.retrieveBot(BOT)
    expect(fixture.requests.map((r) => r.headers.connection)).toEqual(['keep-alive', 'keep-alive', 'keep-alive'])
  })
})

describe('answers', () => {
  it('a 404 on retrieveBot is null: the bot is missing', async () => {
    const {client} = await setup((_req, res) => sendJson(res, 404, {detail: 'Not found.'}))
    await expect(client.retrieveBot(BOT)).resolves.toBeNull()
  })

  it('a 404 on startRecording is an error naming the bot', async () => {
    const {client} = await setup((_req, res) => sendJson(res, 404, {detail: 'Not found.'}))
    const error = await client.startRecording(BOT, {}, {idempotencyKey: 'k'}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecallApiError)
    expect((error as RecallApiError).message).toContain(
      `Starting the recording of bot ${BOT} failed: Recall answered 404: Not found.`,
    )
    expect((error as RecallApiError).message).toContain('does not exist in this workspace and region')
  })

  it('a 2xx that is not a bot is an invalid_response error', async () => {
    const {client} = await setup((_req, res) => {
      res.writeHead(200, {'content-type': 'text/html'})
      res.end('<html>hello</html>')
    })
    await expect(client.retrieveBot(BOT)).rejects.toMatchObject({kind: 'invalid_response', endpoint: 'retrieve_bot', botId: BOT})
  })

  it('a 401 names the key variable and the region, never the key', async () => {
    const {client} = await setup((_req, res) => sendJson(res, 401, {detail: 'Invalid token.'}), {apiKeyEnv: 'RECALL_API_KEY'})
    const error = (await client.retrieveBot(BOT).catch((e: unknown) => e)) as RecallApiError
    expect(error).toBeInstanceOf(RecallApiError)
    expect(error.status).toBe(401)
    expect(error.message).toMatch(/Recall answered 401: Invalid token\. Check that RECALL_API_KEY holds an API key/)
    expect(error.message).not.toContain(API_KEY)
  })

  it('a redirect is not followed (the key would go elsewhere)', async () => {
    const {fixture, client} = await setup((_req, res) => {
      res.writeHead(302, {location: 'http://localhost:1/elsewhere'})
      res.end()
    })
    await expect(client.retrieveBot(BOT)).rejects.toMatchObject({status: 302})
    expect(fixture.requests).toHaveLength(1)
  })
})

describe('where the key may go', () => {
  it.each(['https://example.com', 'http://example.com', 'https://us-east-2.recall.ai', 'http://us-east-1.recall.ai'])(
    'refuses to create a client for %s',
    (baseUrl) => {
      expect(() => createRecallClient({baseUrl, apiKey: API_KEY})).toThrow(/will not send the API key/)
    },
  )

  it('accepts a custom https host only when allowed', async () => {
    const custom = createRecallClient({baseUrl: 'https://proxy.example.com', apiKey: API_KEY, allowCustomBaseUrl: true})
    expect(custom.baseUrl).toBe('https://proxy.example.com')
    await custom.close()
  })

  it('accepts Recall region hosts', async () => {
    const recall = createRecallClient({baseUrl: 'https://eu-central-1.recall.ai', apiKey: API_KEY})
    expect(recall.baseUrl).toBe('https://eu-central-1.recall.ai')
    await recall.close()
  })
})

describe('cancellation and closing', () => {
  it('an aborted signal stops a call waiting for the limiter; it never reaches the server', async () => {
    const {fixture, client} = await setup((_req, res) => sendJson(res, 200, bot(BOT)), {
      rateLimits: {retrieve_bot: 1},
      rateWindowMs: 60_000,
    })
    await client.retrieveBot(BOT)
    const controller = new AbortController()
    const waiting = client.retrieveBot(BOT, {signal: controller.signal})
    controller.abort(new Error('stop'))
    await expect(waiting).rejects.toThrow('stop')
    expect(fixture.requests).toHaveLength(1)
  })

  it('an aborted signal stops a call in flight, without a retry', async () => {
    const {fixture, client} = await setup(() => {
      /* never answers */
    })
    const controller = new AbortController()
    const call = client.retrieveBot(BOT, {signal: controller.signal})
    await waitFor(() => fixture.requests.length === 1)
    controller.abort(new Error('user pressed Ctrl-C'))
    await expect(call).rejects.toThrow('user pressed Ctrl-C')
    expect(fixture.requests).toHaveLength(1)
  })

  it('a long-lived signal keeps no listeners once calls are done', async () => {
    const {client} = await setup((_req, res, index) => (index === 0 ? sendJson(res, 503, {}) : sendJson(res, 200, bot(BOT))))
    const controller = new AbortController()
    await client.retrieveBot(BOT, {signal: controller.signal})
    await client.retrieveBot(BOT, {signal: controller.signal})
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('close() fails calls still waiting, lets the one in flight finish', async () => {
    let release: (() => void) | undefined
    const {fixture, client} = await setup(
      (_req, res) => {
        release = () => sendJson(res, 200, bot(BOT))
      },
      {concurrency: 1},
    )
    const inFlight = client.retrieveBot(BOT)
    const queued = client.retrieveBot(BOT).catch((e: unknown) => e)
    await waitFor(() => fixture.requests.length === 1)
    const closed = client.close()
    release?.()
    await expect(inFlight).resolves.toMatchObject({id: BOT})
    expect(await queued).toMatchObject({message: expect.stringMatching(/closed before this call/)})
    await closed
    expect(fixture.requests).toHaveLength(1)
  })
})

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5))
  if (!condition()) throw new Error('condition not reached')
}
