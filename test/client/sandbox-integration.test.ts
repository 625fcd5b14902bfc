import {randomUUID} from 'node:crypto'
import {afterEach, describe, expect, it} from 'vitest'
import {createRecallClient, type RecallClient, type RecallClientOptions} from '../../src/recall/client/client.js'
import {RecallApiError} from '../../src/recall/client/errors.js'
import type {RecallClientEvent} from '../../src/recall/client/events.js'
import {startSandbox, type RunningSandbox, type SandboxOptions} from '../../src/sandbox/index.js'
import {FAST_RETRY} from './fixture-server.js'

// The client against the project's own Recall emulator: the same behaviours as the fixture tests, with
// the sandbox's real rate limiter, idempotency store and fault schedule on the other side.

let sandbox: RunningSandbox | undefined
let client: RecallClient | undefined

afterEach(async () => {
  await client?.close()
  await sandbox?.close()
  client = undefined
  sandbox = undefined
})

async function setup(sandboxOptions: SandboxOptions = {}, clientOptions: Partial<RecallClientOptions> = {}) {
  const events: RecallClientEvent[] = []
  sandbox = await startSandbox(sandboxOptions)
  client = createRecallClient({
    baseUrl: sandbox.url,
    apiKey: sandbox.apiKey,
    retry: FAST_RETRY,
    onEvent: (event) => events.push(event),
    ...clientOptions,
  })
  return {sandbox, client, events}
}

const recordingsOf = (bot: Record<string, unknown> | null): Array<{metadata?: Record<string, string>}> =>
  (bot?.recordings as Array<{metadata?: Record<string, string>}> | undefined) ?? []

describe('against the sandbox', () => {
  it('reads a bot, starts its recording, and sees a missing bot as null', async () => {
    const id = randomUUID()
    const {client} = await setup({bots: [{id, status: 'in_call_not_recording'}]})
    const before = await client.retrieveBot(id)
    expect(before?.id).toBe(id)
    expect(recordingsOf(before)).toHaveLength(0)
    const after = await client.startRecording(id, {metadata: {recallctl_digest: 'v1:abc'}}, {idempotencyKey: `k-${id}`})
    expect(recordingsOf(after).at(-1)?.metadata).toMatchObject({recallctl_digest: 'v1:abc'})
    expect(await client.retrieveBot(randomUUID())).toBeNull()
  })

  it('lists every matching bot across pages with status and metadata filters', async () => {
    const support = Array.from({length: 5}, () => ({
      id: randomUUID(),
      status: 'in_call_recording' as const,
      metadata: {team: 'support'},
    }))
    const others = [
      {id: randomUUID(), status: 'in_call_recording' as const, metadata: {team: 'sales'}},
      {id: randomUUID(), status: 'done' as const, metadata: {team: 'support'}},
    ]
    const {client, sandbox} = await setup({bots: [...support, ...others], pageSize: 2})
    const bots = await client.listBots({status: ['in_call_recording', 'in_call_not_recording'], metadata: {team: 'support'}})
    expect(bots.map((b) => b.id).sort()).toEqual(support.map((b) => b.id).sort())
    expect(sandbox.requests().filter((r) => r.path.startsWith('/api/v1/bot/?'))).toHaveLength(3)
  })

  it('a 503, then a reset after processing: one recording, one idempotency key', async () => {
    const id = randomUUID()
    const {client, sandbox} = await setup({bots: [{id, status: 'in_call_not_recording', recordings: []}]})
    sandbox.injectFault({kind: 'status', status: 503, method: 'POST', path: '/api/v1/bot/*/start_recording/'})
    sandbox.injectFault({kind: 'reset_after', method: 'POST', path: '/api/v1/bot/*/start_recording/'})
    await client.startRecording(id, {}, {idempotencyKey: 'once'})
    const posts = sandbox.requests().filter((r) => r.method === 'POST')
    expect(posts.map((r) => r.idempotency_key)).toEqual(['once', 'once', 'once'])
    expect(posts.at(-1)?.replayed).toBe(true)
    expect(recordingsOf(sandbox.bot(id) as unknown as Record<string, unknown>)).toHaveLength(1)
  })

  it('a timeout while Recall still works: 409 in flight, then the replay; one recording', async () => {
    const id = randomUUID()
    const {client, sandbox, events} = await setup(
      {bots: [{id, status: 'in_call_not_recording', recordings: []}]},
      {timeouts: {attemptMs: 150}, retry: {...FAST_RETRY, backoffBaseMs: 100, backoffCapMs: 200, maxAttempts: 8}},
    )
    sandbox.injectFault({kind: 'latency', latency_ms: 400, method: 'POST', path: '/api/v1/bot/*/start_recording/'})
    await client.startRecording(id, {}, {idempotencyKey: 'slow'})
    const reasons = events.filter((e) => e.type === 'retry').map((e) => (e.type === 'retry' ? e.reason : ''))
    expect(reasons[0]).toBe('timeout')
    expect(reasons).toContain('in_flight')
    expect(recordingsOf(sandbox.bot(id) as unknown as Record<string, unknown>)).toHaveLength(1)
  })

  it('a 429 burst is waited out per Retry-After', async () => {
    const id = randomUUID()
    const {client, sandbox, events} = await setup({bots: [{id, status: 'in_call_not_recording'}]})
    sandbox.injectFault({kind: 'rate_limit', retry_after: 1, method: 'GET'})
    const started = performance.now()
    await expect(client.retrieveBot(id)).resolves.toMatchObject({id})
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000)
    expect(events.filter((e) => e.type === 'rate_limited')).toHaveLength(1)
    expect(client.counters().rateLimited.retrieve_bot).toBe(1)
  })

  it('at matching limits and window, the client never draws a 429 from the sandbox', async () => {
    const ids = Array.from({length: 12}, () => randomUUID())
    const {client, sandbox} = await setup(
      {
        bots: ids.map((id) => ({id, status: 'in_call_not_recording' as const})),
        rateWindowMs: 1000,
        rateLimits: {retrieve_bot: 4, start_recording: 4},
      },
      // The in-process sandbox stamps a request when its event loop gets to it, which on a loaded 2-core
      // machine can lag by more than the default 50 ms margin of a scaled 1 s window; 60 s windows get 600 ms.
      {rateWindowMs: 1000, rateSafetyMarginMs: 150, rateLimits: {retrieve_bot: 4, start_recording: 4}},
    )
    await Promise.all(
      ids.map(async (id) => {
        await client.retrieveBot(id)
        await client.startRecording(id, {}, {idempotencyKey: `k-${id}`})
      }),
    )
    const statuses = sandbox.requests().map((r) => r.status)
    expect(statuses).toHaveLength(24)
    expect(statuses.filter((s) => s === 429)).toEqual([])
    expect(client.counters().rateLimited).toEqual({retrieve_bot: 0, start_recording: 0, list_bots: 0})
  })

  it("Recall's errors come through with code and detail", async () => {
    const ready = randomUUID()
    const {client} = await setup({bots: [{id: ready, status: 'ready'}]})
    const error = await client.startRecording(ready, {}, {idempotencyKey: 'k'}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecallApiError)
    expect(error).toMatchObject({status: 400, code: 'cannot_command_unstarted_bot'})
    expect((error as Error).message).toContain('cannot_command_unstarted_bot')
  })

  it('a wrong key is a 401 naming the variable, never the key', async () => {
    sandbox = await startSandbox()
    client = createRecallClient({baseUrl: sandbox.url, apiKey: 'wrong-key-123', apiKeyEnv: 'RECALL_API_KEY'})
    const error = (await client.retrieveBot(randomUUID()).catch((e: unknown) => e)) as RecallApiError
    expect(error.status).toBe(401)
    expect(error.message).toContain('RECALL_API_KEY')
    expect(error.message).not.toContain('wrong-key-123')
  })
})
