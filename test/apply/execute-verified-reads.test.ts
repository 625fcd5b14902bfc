import {describe, expect, it} from 'vitest'
import {executeCalls, rereadsNeeded, VERIFIED_READ_FRESH_MS} from '../../src/execute/execute.js'
import {idempotencyKey} from '../../src/execute/idempotency-key.js'
import type {PlannedCall} from '../../src/execute/plan-to-calls.js'
import type {RecallClient} from '../../src/recall/client/client.js'
import {withEndpointDefaults} from '../../src/recall/body-defaults.js'
import type {ObservedState} from '../../src/plan/types.js'

// A saved plan's verification reads every bot before the first write; execute re-reads only the bots read
// long enough ago that they may have moved, and writes the freshly read ones first.

const NOW = 1_800_000_000_000
const DIGEST = 'v1:0123456789abcdef0123456789abcdef'
const idle: ObservedState = {
  status: 'in_call_not_recording',
  newest_recording_id: null,
  active_recording_id: null,
  active_digest: null,
  active_profile: null,
}
const botId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

const call = (n: number, readAt?: number): PlannedCall => ({
  bot_id: botId(n),
  action: 'start',
  profile: 'p',
  assignment: 'recordings/a.yaml:1:1',
  digest: DIGEST,
  body: withEndpointDefaults({}),
  before: idle,
  ...(readAt === undefined ? {} : {read_at: readAt}),
})

const botJson = (id: string, status: string) => ({
  id,
  metadata: {},
  status_changes: [{code: status, sub_code: null, message: null, created_at: '2026-01-01T00:00:00Z'}],
  recordings: [],
})

/** A client that answers at once and records the order of its requests (and each write's idempotency key). */
function fakeClient(statusOf: (id: string) => string = () => 'in_call_not_recording') {
  const requests: string[] = []
  const keys: string[] = []
  const outlook = {limit: 300, inFlightCeiling: 150}
  const client = {
    async retrieveBot(id: string) {
      requests.push(`read ${id}`)
      return botJson(id, statusOf(id))
    },
    async startRecording(id: string, _body: unknown, options: {idempotencyKey: string}) {
      requests.push(`write ${id}`)
      keys.push(options.idempotencyKey)
      return botJson(id, 'in_call_recording')
    },
    outlook: () => outlook,
  } as unknown as RecallClient
  return {client, requests, keys}
}

const run = (calls: PlannedCall[], client: RecallClient, reread = true) =>
  executeCalls(calls, {
    client,
    env: {},
    reread,
    now: () => NOW,
    concurrency: 1,
    stop: new AbortController().signal,
    onResult: () => undefined,
  })

describe('execute after a saved plan was verified', () => {
  it('does not read again a bot the verification read just now, and keys the call on the state it verified', async () => {
    const {client, requests, keys} = fakeClient()
    const verified = {...call(1, NOW - 1_000), before: {...idle, newest_recording_id: 'rec-0'}}
    const results = await run([verified], client)
    expect(requests).toEqual([`write ${botId(1)}`])
    expect(results[0]!.outcome).toBe('started')
    expect(keys).toEqual([idempotencyKey(botId(1), DIGEST, 'rec-0')])
  })

  it('reads again a bot read exactly the freshness bound ago', async () => {
    const {client, requests} = fakeClient()
    await run([call(1, NOW - VERIFIED_READ_FRESH_MS)], client)
    expect(requests).toEqual([`read ${botId(1)}`, `write ${botId(1)}`])
  })

  it('counts the re-reads still needed for the ETA: the bots not read within the bound', () => {
    expect(rereadsNeeded([call(1, NOW - 1), call(2, NOW - VERIFIED_READ_FRESH_MS), call(3)], NOW)).toBe(2)
  })

  it('reads again a bot read longer ago than the freshness bound, and skips it when it moved', async () => {
    const {client, requests} = fakeClient(() => 'call_ended')
    const results = await run([call(1, NOW - VERIFIED_READ_FRESH_MS - 1)], client)
    expect(requests).toEqual([`read ${botId(1)}`])
    expect(results[0]).toMatchObject({outcome: 'stale', reason: expect.stringMatching(/call_ended/)})
  })

  it('makes no call for a bot that, read again, already records the planned body', async () => {
    const {client, requests} = fakeClient()
    ;(client as unknown as {retrieveBot: (id: string) => Promise<unknown>}).retrieveBot = async (id: string) => {
      requests.push(`read ${id}`)
      return {
        ...botJson(id, 'in_call_recording'),
        recordings: [
          {
            id: 'rec-1',
            created_at: '2026-01-01T00:00:01Z',
            status: {code: 'processing'},
            metadata: {recallctl_digest: DIGEST, recallctl_profile: 'p'},
          },
        ],
      }
    }
    const results = await run([call(1)], client)
    expect(requests).toEqual([`read ${botId(1)}`])
    expect(results[0]).toMatchObject({outcome: 'already_applied', reason: expect.stringMatching(/already records/)})
  })

  it('reads again a bot with no verification read', async () => {
    const {client, requests} = fakeClient()
    await run([call(1)], client)
    expect(requests).toEqual([`read ${botId(1)}`, `write ${botId(1)}`])
  })

  it('writes the most recently read bots first, and reports in plan order', async () => {
    const {client, requests} = fakeClient()
    const calls = [call(1, NOW - 60_000), call(2, NOW - 100), call(3), call(4, NOW - 50)]
    const results = await run(calls, client)
    expect(requests).toEqual([
      `write ${botId(4)}`,
      `write ${botId(2)}`,
      `read ${botId(1)}`,
      `write ${botId(1)}`,
      `read ${botId(3)}`,
      `write ${botId(3)}`,
    ])
    expect(results.map((r) => r.bot_id)).toEqual([1, 2, 3, 4].map(botId))
  })

  it('re-reads nothing when the plan was made in this run (no saved plan)', async () => {
    const {client, requests} = fakeClient()
    await run([call(1), call(2)], client, false)
    expect(requests).toEqual([`write ${botId(1)}`, `write ${botId(2)}`])
  })
})
