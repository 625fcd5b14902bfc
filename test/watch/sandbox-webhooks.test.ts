import {createHmac, randomUUID} from 'node:crypto'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {testSandbox, until} from '../support/e2e.js'

const SECRET = 'whsec_c2FuZGJveCB3ZWJob29rIHNlY3JldCAxMjM0NTY='

interface Received {
  headers: IncomingHttpHeaders
  body: string
  path: string
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/** A webhook receiver on loopback that records what it is sent and answers `status`. */
async function receiver(status = 204): Promise<{url: string; received: Received[]}> {
  const received: Received[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      received.push({headers: request.headers, body, path: request.url ?? ''})
      response.writeHead(status).end()
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/recall`, received}
}

/** Recall's documented scheme, computed here independently of the sandbox. */
function expectedSignature(secret: string, headers: IncomingHttpHeaders, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  return `v1,${createHmac('sha256', key)
    .update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`)
    .digest('base64')}`
}

async function control(sandbox: {url: string; adminToken: string}, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}/_sandbox/${path}`, {
    method,
    headers: {authorization: `Bearer ${sandbox.adminToken}`, 'content-type': 'application/json'},
    ...(body === undefined ? {} : {body: JSON.stringify(body)}),
  })
  return {status: response.status, body: (await response.json()) as Record<string, unknown>}
}

describe('sandbox webhook emission', () => {
  it("a status move sends a signed bot.<status> event shaped like Recall's", async () => {
    const hook = await receiver()
    const sandbox = await testSandbox({webhooks: [{url: hook.url, secret: SECRET}]})
    const id = randomUUID()
    sandbox.seed([{id, status: 'joining_call', metadata: {team: 'sales'}}])
    const before = Math.floor(Date.now() / 1000)
    sandbox.setStatus(id, 'in_call_not_recording')
    await until(() => hook.received.length === 1)

    const [event] = hook.received
    expect(event!.path).toBe('/hooks/recall')
    expect(event!.headers['content-type']).toBe('application/json')
    expect(String(event!.headers['webhook-id'])).toMatch(/^msg_[A-Za-z0-9_-]+$/)
    expect(Number(event!.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before)
    expect(Number(event!.headers['webhook-timestamp'])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000))
    expect(event!.headers['webhook-signature']).toBe(expectedSignature(SECRET, event!.headers, event!.body))
    const body = JSON.parse(event!.body)
    expect(body).toEqual({
      event: 'bot.in_call_not_recording',
      data: {
        data: {code: 'in_call_not_recording', sub_code: null, updated_at: expect.any(String)},
        bot: {id, metadata: {team: 'sales'}},
      },
    })
    expect(Date.parse(body.data.data.updated_at)).not.toBeNaN()
  })

  it('start_recording through the API sends bot.in_call_recording; seeding sends nothing', async () => {
    const hook = await receiver()
    const sandbox = await testSandbox()
    const id = randomUUID()
    sandbox.seed([{id, status: 'in_call_not_recording', recordings: []}])
    sandbox.addWebhook({url: hook.url, secret: SECRET})
    sandbox.seed([{id: randomUUID(), status: 'in_call_recording'}])
    const response = await fetch(`${sandbox.url}/api/v1/bot/${id}/start_recording/`, {
      method: 'POST',
      headers: {authorization: `Token ${sandbox.apiKey}`, 'content-type': 'application/json'},
      body: '{}',
    })
    expect(response.status).toBe(200)
    await until(() => hook.received.length >= 1)
    await until(() => sandbox.webhookDeliveries().length >= 1)
    expect(hook.received.map((r) => JSON.parse(r.body).event)).toEqual(['bot.in_call_recording'])
    expect(JSON.parse(hook.received[0]!.body).data.bot.id).toBe(id)
  })

  it('every registered endpoint gets each event, each with its own id and signature', async () => {
    const [one, two] = [await receiver(), await receiver()]
    const sandbox = await testSandbox()
    const id = randomUUID()
    sandbox.seed([{id, status: 'joining_call'}])
    sandbox.addWebhook({url: one.url, secret: SECRET})
    const second = sandbox.addWebhook({url: two.url})
    expect(second.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
    sandbox.setStatus(id, 'in_call_not_recording')
    sandbox.setStatus(id, 'call_ended')
    await until(() => one.received.length === 2 && two.received.length === 2)
    for (const [hook, secret] of [
      [one, SECRET],
      [two, second.secret],
    ] as const) {
      expect(hook.received.map((r) => JSON.parse(r.body).event).sort()).toEqual(['bot.call_ended', 'bot.in_call_not_recording'])
      for (const r of hook.received) expect(r.headers['webhook-signature']).toBe(expectedSignature(secret, r.headers, r.body))
    }
    expect(new Set([...one.received, ...two.received].map((r) => r.headers['webhook-id'])).size).toBe(4)
  })

  it('statuses Recall has no event for send nothing', async () => {
    const hook = await receiver()
    const sandbox = await testSandbox()
    const id = randomUUID()
    sandbox.seed([{id, status: 'done'}])
    sandbox.addWebhook({url: hook.url, secret: SECRET})
    sandbox.setStatus(id, 'media_expired')
    sandbox.setStatus(id, 'fatal')
    await until(() => hook.received.length === 1)
    expect(JSON.parse(hook.received[0]!.body).event).toBe('bot.fatal')
  })

  it('a failing or unreachable endpoint is logged and changes nothing for the API', async () => {
    const failing = await receiver(500)
    const sandbox = await testSandbox({webhookTimeoutMs: 1_000})
    const id = randomUUID()
    sandbox.seed([{id, status: 'joining_call'}])
    sandbox.addWebhook({url: failing.url, secret: SECRET})
    sandbox.addWebhook({url: 'http://127.0.0.1:1/nobody-listens', secret: SECRET})
    expect(sandbox.setStatus(id, 'in_call_not_recording').status_changes.at(-1)?.code).toBe('in_call_not_recording')
    await until(() => sandbox.webhookDeliveries().length === 2)
    const deliveries = sandbox.webhookDeliveries().sort((a, b) => a.endpoint_id - b.endpoint_id)
    expect(deliveries[0]).toMatchObject({
      endpoint_id: 1,
      status: 500,
      error: null,
      event: 'bot.in_call_not_recording',
      bot_id: id,
    })
    expect(deliveries[1]).toMatchObject({endpoint_id: 2, status: null, error: expect.stringMatching(/ECONNREFUSED/)})
  })

  it('sends only to loopback http URLs', async () => {
    const sandbox = await testSandbox()
    for (const url of [
      'https://hooks.example.com/recall',
      'http://10.0.0.8/hook',
      'https://127.0.0.1/hook',
      'not a url',
      'http://169.254.169.254/',
    ])
      expect(() => sandbox.addWebhook({url, secret: SECRET}), url).toThrow(/loopback|not a URL/)
    expect(() => sandbox.addWebhook({url: 'http://127.0.0.1:9/', secret: 'not-a-secret'})).toThrow(/whsec_/)
  })

  it('control endpoints register, list and remove endpoints and show the deliveries', async () => {
    const hook = await receiver()
    const sandbox = await testSandbox()
    const id = randomUUID()
    sandbox.seed([{id, status: 'joining_call'}])

    expect((await control(sandbox, 'POST', 'webhooks', {url: 'https://example.com/hook'})).status).toBe(400)
    expect((await control(sandbox, 'POST', 'webhooks', {url: hook.url, secret: 'nope'})).status).toBe(400)
    const created = await control(sandbox, 'POST', 'webhooks', {url: hook.url})
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({id: 1, url: hook.url, secret: expect.stringMatching(/^whsec_/)})
    expect((await control(sandbox, 'GET', 'webhooks')).body).toEqual({endpoints: [created.body]})

    expect((await control(sandbox, 'POST', `bots/${id}/status`, {code: 'in_call_not_recording'})).status).toBe(200)
    await until(() => hook.received.length === 1)
    expect(hook.received[0]!.headers['webhook-signature']).toBe(
      expectedSignature(String(created.body['secret']), hook.received[0]!.headers, hook.received[0]!.body),
    )
    await until(() => sandbox.webhookDeliveries().length === 1)
    const deliveries = await control(sandbox, 'GET', 'webhooks/deliveries?since=0')
    expect(deliveries.body['deliveries']).toEqual([
      expect.objectContaining({seq: 1, endpoint_id: 1, status: 204, event: 'bot.in_call_not_recording', bot_id: id}),
    ])
    expect((await control(sandbox, 'GET', 'webhooks/deliveries?since=1')).body).toEqual({deliveries: []})

    expect((await control(sandbox, 'DELETE', 'webhooks/1')).status).toBe(200)
    expect((await control(sandbox, 'DELETE', 'webhooks/1')).status).toBe(404)
    sandbox.setStatus(id, 'call_ended')
    // The move after removal is not sent: the next registration's events are the only later ones.
    await control(sandbox, 'POST', 'webhooks', {url: hook.url, secret: SECRET})
    sandbox.setStatus(id, 'done')
    await until(() => hook.received.length === 2)
    expect(JSON.parse(hook.received[1]!.body).event).toBe('bot.done')
  })
})
