import {randomUUID} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {EVENT_MAX_DEFER_MS} from '../../src/watch/bot-event-queue.js'
import {isRetrieveBot, stampedRecordingsOf, testSandbox, until} from '../support/e2e.js'
import {botEvent, requestsFor, signedHeaders, startWatch, watchProject} from './support.js'

// Issue 11, item 9, end to end (the built CLI): a flood of webhooks for one bot costs a bounded number of
// reads, and a flood of forged ones costs none and a couple of log lines.

const FLOOD = 1_000
const AT_ONCE = 25

/** POSTs `count` webhooks, AT_ONCE in flight, and returns the statuses answered. */
async function flood(
  port: number,
  count: number,
  request: (i: number) => {body: string; headers: Record<string, string>},
): Promise<number[]> {
  const statuses: number[] = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      const {body, headers} = request(next++)
      const answer = await fetch(`http://127.0.0.1:${port}/recall/webhooks`, {method: 'POST', headers, body})
      await answer.arrayBuffer()
      statuses.push(answer.status)
    }
  }
  await Promise.all(Array.from({length: AT_ONCE}, worker))
  return statuses
}

/** Waits past the queue's quiet time, then until the watcher has no bot in flight. */
async function settled(port: number, quietMs = 1_500): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, quietMs))
  for (let i = 0; i < 200; i++) {
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {in_flight: number}
    if (health.in_flight === 0) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('watch still had bots in flight after 10 s')
}

const countBy = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((acc, s) => ({...acc, [s]: (acc[s] ?? 0) + 1}), {})

describe('watch under a flood of webhooks', () => {
  it(`${FLOOD} valid events for one bot cost two reads of it, plus one per 10 s of flood`, async () => {
    const sandbox = await testSandbox()
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'in_call_not_recording', recordings: []}])
    const watch = startWatch(watchProject(sandbox, [bot]), ['--interval', '1h', '--listen', '127.0.0.1:0'])
    const port = await watch.port()
    await watch.waitFor((l) => l.event === 'pass_complete')
    await until(() => stampedRecordingsOf(sandbox, bot).length === 1)
    const mark = sandbox.requests().at(-1)!.seq
    const t0 = performance.now()
    const statuses = await flood(port, FLOOD, (i) => {
      const body = botEvent(bot, 'in_call_recording')
      return {body, headers: signedHeaders(body, {id: `msg_flood_${i}`})}
    })
    const floodMs = performance.now() - t0
    expect(countBy(statuses)).toEqual({200: FLOOD})
    await settled(port)

    const after = requestsFor(sandbox, bot, mark)
    const reads = after.filter(isRetrieveBot)
    expect(reads.length).toBeGreaterThanOrEqual(1)
    // Two per burst, and one more per EVENT_MAX_DEFER_MS the flood lasted without a pause (on a loaded
    // machine 1,000 requests can take longer than that). Before coalescing: one read per few events.
    expect(reads.length).toBeLessThanOrEqual(2 + Math.floor(floodMs / EVENT_MAX_DEFER_MS))
    // The bot was in sync: the flood caused no call either.
    expect(after.filter((e) => e.method === 'POST')).toEqual([])
    expect(stampedRecordingsOf(sandbox, bot)).toHaveLength(1)
    expect((await watch.stop('SIGTERM')).code).toBe(0)
  })

  it(`${FLOOD} forged events cost no read and at most two log lines`, async () => {
    const sandbox = await testSandbox()
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'in_call_not_recording', recordings: []}])
    const watch = startWatch(watchProject(sandbox, [bot]), ['--interval', '1h', '--listen', '127.0.0.1:0'])
    const port = await watch.port()
    await watch.waitFor((l) => l.event === 'pass_complete')
    await until(() => stampedRecordingsOf(sandbox, bot).length === 1)
    const mark = sandbox.requests().at(-1)!.seq
    const linesBefore = watch.lines.length

    const forgedSecret = 'whsec_Zm9yZ2VkIGtleSBmb3JnZWQga2V5IDEyMzQ='
    const statuses = await flood(port, FLOOD, (i) => {
      const body = botEvent(bot, 'in_call_not_recording')
      // Mostly a wrong key; some unsigned; some with a timestamp an hour old.
      if (i % 10 === 0) return {body, headers: {'content-type': 'application/json'}}
      if (i % 10 === 1)
        return {body, headers: signedHeaders(body, {id: `msg_old_${i}`, timestamp: Math.floor(Date.now() / 1000) - 3600})}
      return {body, headers: signedHeaders(body, {id: `msg_forged_${i}`, secret: forgedSecret})}
    })
    expect(countBy(statuses)).toEqual({401: FLOOD})
    await settled(port)
    expect(requestsFor(sandbox, bot, mark)).toEqual([])

    expect((await watch.stop('SIGTERM')).code).toBe(0)
    const refusalLines = watch.lines.slice(linesBefore).filter((l) => /webhook/.test(l.event))
    expect(refusalLines.length).toBeLessThanOrEqual(2)
    expect(refusalLines.at(-1)).toMatchObject({
      event: 'webhooks_refused',
      count: FLOOD,
      by_reason: {no_valid_signature: 800, missing_headers: 100, timestamp_too_old: 100},
    })
    expect(refusalLines.at(-1)!['message']).toMatch(
      /^refused 1,000 webhooks in the last \d+ s \(bad signature: 800, (unsigned: 100, too old: 100|too old: 100, unsigned: 100)\)$/,
    )
  })
})
