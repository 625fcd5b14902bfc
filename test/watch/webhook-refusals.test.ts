import {connect} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {createLogger} from '../../src/watch/logger.js'
import {ReplayCache} from '../../src/watch/replay-cache.js'
import {startWebhookServer, type WebhookServer} from '../../src/watch/webhook-server.js'
import {parseWebhookSecret} from '../../src/watch/webhook-signature.js'
import {botEvent, signedHeaders, WEBHOOK_SECRET} from './support.js'

// Issue 11, item 9, at the listener: hostile senders cost no work and a bounded number of log lines.

const BOT = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
let server: WebhookServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function listener() {
  const lines: Array<Record<string, unknown>> = []
  const events: string[] = []
  const key = parseWebhookSecret(WEBHOOK_SECRET, 'SECRET')
  if (!key.ok) throw new Error(key.message)
  server = await startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    key: key.key,
    replay: new ReplayCache(),
    log: createLogger({format: 'json', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>)}),
    onBotStatus: ({botId}) => events.push(botId),
    health: () => ({}),
  })
  return {url: server.url, lines, events}
}

/** Sends headers promising `length` bytes, part of the body, then hangs up. */
function hangUpMidBody(url: string, length: number): Promise<void> {
  const {port} = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `POST /hook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n{"event":`,
      )
      setTimeout(() => socket.destroy(), 20)
    })
    socket.on('close', () => resolve())
    socket.on('error', () => resolve())
  })
}

describe('the webhook listener under hostile senders', () => {
  it('500 forged requests: all 401, no event handed on, one line now and one summary at close', async () => {
    const {url, lines, events} = await listener()
    const body = botEvent(BOT, 'in_call_not_recording')
    for (let i = 0; i < 500; i++) {
      const answer = await fetch(`${url}/hook`, {
        method: 'POST',
        headers: signedHeaders(body, {id: `msg_${i}`, secret: 'whsec_Zm9yZ2VkIGtleSBmb3JnZWQga2V5IDEyMzQ='}),
        body,
      })
      expect(answer.status).toBe(401)
    }
    expect(events).toEqual([])
    expect(lines).toHaveLength(1)
    await server!.close()
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatchObject({event: 'webhooks_refused', count: 500, by_reason: {no_valid_signature: 500}})
  })

  it('50 senders that hang up mid-body: no error, no 500, counted like other refusals', async () => {
    const {url, lines, events} = await listener()
    for (let i = 0; i < 50; i++) await hangUpMidBody(url, 1000)
    // The listener still works.
    const body = botEvent(BOT, 'in_call_not_recording')
    expect((await fetch(`${url}/hook`, {method: 'POST', headers: signedHeaders(body, {id: 'msg_ok'}), body})).status).toBe(200)
    expect(events).toEqual([BOT])
    await server!.close()
    expect(lines.filter((l) => l['level'] === 'error')).toEqual([])
    const refusals = lines.filter((l) => String(l['event']).startsWith('webhook') && l['event'] !== 'webhook_received')
    expect(refusals).toHaveLength(2)
    expect(refusals.at(-1)).toMatchObject({event: 'webhooks_refused', count: 50, by_reason: {aborted: 50}})
  })

  it('a valid signature on a body that is not an event, or holds __proto__, is refused without a handoff', async () => {
    const {url, events} = await listener()
    for (const [i, body] of [
      '{"__proto__": {"event": "bot.done"}}',
      '['.repeat(50_000) + ']'.repeat(50_000),
      'not json',
    ].entries()) {
      const answer = await fetch(`${url}/hook`, {method: 'POST', headers: signedHeaders(body, {id: `msg_bad_${i}`}), body})
      expect(answer.status).toBe(400)
    }
    expect(events).toEqual([])
    expect(({} as Record<string, unknown>)['event']).toBeUndefined()
  })
})
