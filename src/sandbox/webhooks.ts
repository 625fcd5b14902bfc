import {createHmac, randomBytes} from 'node:crypto'
import {request as httpRequest, type ClientRequest} from 'node:http'
import type {BotState, StatusChange} from './bot-state.js'

/**
 * Bot status events Recall sends through Svix (webhooks.json: `bot.<code>`). Moves to other codes
 * (`recording_done`, `media_expired`, `analysis_*`, ...) send nothing, as Recall documents no such event.
 */
export const WEBHOOK_STATUS_CODES: readonly string[] = [
  'joining_call',
  'in_waiting_room',
  'in_call_not_recording',
  'recording_permission_allowed',
  'recording_permission_denied',
  'in_call_recording',
  'call_ended',
  'done',
  'fatal',
]

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000
const DELIVERY_LOG_LIMIT = 1_000
const SECRET_PREFIX = 'whsec_'

export interface WebhookEndpointInput {
  /** An `http://` URL on loopback (127.0.0.0/8, [::1], localhost): the sandbox posts nowhere else. */
  url: string
  /** `whsec_` + base64 key, as Recall's dashboard shows it. Generated when absent. */
  secret?: string | undefined
}

export interface WebhookEndpoint {
  id: number
  url: string
  secret: string
}

export interface WebhookDelivery {
  seq: number
  /** When the delivery was sent (wall clock). */
  time: string
  endpoint_id: number
  webhook_id: string
  event: string
  bot_id: string
  /** The endpoint's HTTP status; null when no answer came (then `error` says why). */
  status: number | null
  error: string | null
  duration_ms: number
}

export class WebhookEndpointError extends Error {}

const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)

/** The key bytes of a `whsec_...` secret, or a sentence saying what is wrong with it. */
export function webhookKeyOf(secret: string): Buffer | string {
  if (!secret.startsWith(SECRET_PREFIX))
    return `a webhook secret starts with "${SECRET_PREFIX}" (then base64), as Recall's dashboard shows it`
  const encoded = secret.slice(SECRET_PREFIX.length)
  const unpadded = encoded.replace(/=+$/, '')
  if (
    !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ||
    Buffer.from(encoded, 'base64').toString('base64').replace(/=+$/, '') !== unpadded
  )
    return `the part of a webhook secret after "${SECRET_PREFIX}" must be base64`
  return Buffer.from(encoded, 'base64')
}

/** Svix's signature header value: `v1,` + base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`. */
export function svixSignature(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
}

/** Recall's bot status event body (webhooks.json examples). */
export function botStatusEvent(bot: BotState, change: StatusChange): {event: string; data: unknown} {
  return {
    event: `bot.${change.code}`,
    data: {
      data: {code: change.code, sub_code: change.sub_code, updated_at: change.created_at},
      bot: {id: bot.id, metadata: {...bot.metadata}},
    },
  }
}

/**
 * Sends Svix-style signed `bot.<status>` events to registered loopback endpoints, once for each new
 * entry of a bot's `status_changes`, whatever caused it (control move, start/stop_recording, join).
 * Deliveries are fire-and-forget with a timeout, not retried, and logged. Bots the emitter has not
 * seen yet (seeded, created, restored) are taken as they are, without events.
 */
export class WebhookEmitter {
  private endpoints: WebhookEndpoint[] = []
  private nextId = 1
  private seq = 0
  private readonly seen = new WeakMap<BotState, number>()
  private readonly log: WebhookDelivery[] = []
  private readonly inFlight = new Set<ClientRequest>()

  constructor(
    private readonly clock: () => number,
    private readonly timeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS,
  ) {}

  /** Registers an endpoint; status changes from now on are sent to it. */
  add(input: WebhookEndpointInput, bots: Iterable<BotState>): WebhookEndpoint {
    let url: URL
    try {
      url = new URL(input.url)
    } catch {
      throw new WebhookEndpointError(`the webhook URL "${input.url}" is not a URL`)
    }
    if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname))
      throw new WebhookEndpointError(
        `the sandbox sends webhooks only to http:// URLs on loopback (127.0.0.1, [::1], localhost), not to ${url.protocol}//${url.host}`,
      )
    const secret = input.secret ?? `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`
    const key = webhookKeyOf(secret)
    if (typeof key === 'string') throw new WebhookEndpointError(key)
    for (const bot of bots) this.seen.set(bot, bot.status_changes.length)
    const endpoint = {id: this.nextId++, url: url.toString(), secret}
    this.endpoints.push(endpoint)
    return {...endpoint}
  }

  remove(id: number): boolean {
    const before = this.endpoints.length
    this.endpoints = this.endpoints.filter((e) => e.id !== id)
    return this.endpoints.length < before
  }

  clear(): void {
    this.endpoints = []
  }

  list(): WebhookEndpoint[] {
    return this.endpoints.map((e) => ({...e}))
  }

  deliveries(since = 0): WebhookDelivery[] {
    return this.log.filter((d) => d.seq > since)
  }

  clearDeliveries(): void {
    this.log.length = 0
  }

  /** Sends an event for every status change since the bots were last seen. Called after each change. */
  observe(bots: Iterable<BotState>): void {
    if (this.endpoints.length === 0) return
    for (const bot of bots) {
      const known = this.seen.get(bot)
      const length = bot.status_changes.length
      this.seen.set(bot, length)
      if (known === undefined) continue
      for (const change of bot.status_changes.slice(known)) if (WEBHOOK_STATUS_CODES.includes(change.code)) this.send(bot, change)
    }
  }

  /** Drops deliveries in flight (the sandbox is closing). */
  close(): void {
    for (const request of this.inFlight) request.destroy()
    this.inFlight.clear()
  }

  private send(bot: BotState, change: StatusChange): void {
    const body = JSON.stringify(botStatusEvent(bot, change))
    for (const endpoint of this.endpoints) {
      const webhookId = `msg_${randomBytes(18).toString('base64url')}`
      const timestamp = Math.floor(this.clock() / 1000)
      const key = webhookKeyOf(endpoint.secret) as Buffer
      const started = performance.now()
      const record = (status: number | null, error: string | null) => {
        this.log.push({
          seq: ++this.seq,
          time: new Date().toISOString(),
          endpoint_id: endpoint.id,
          webhook_id: webhookId,
          event: `bot.${change.code}`,
          bot_id: bot.id,
          status,
          error,
          duration_ms: Math.round(performance.now() - started),
        })
        if (this.log.length > DELIVERY_LOG_LIMIT) this.log.splice(0, this.log.length - DELIVERY_LOG_LIMIT)
      }
      let done = false
      const request = httpRequest(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Svix-Webhooks/1.0 (recallctl sandbox)',
          'webhook-id': webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': svixSignature(key, webhookId, timestamp, body),
        },
        timeout: this.timeoutMs,
      })
      this.inFlight.add(request)
      request.on('response', (response) => {
        response.resume()
        response.on('end', () => {
          if (!done) record(response.statusCode ?? null, null)
          done = true
          this.inFlight.delete(request)
        })
      })
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)))
      request.on('error', (error) => {
        if (!done) record(null, error.message)
        done = true
        this.inFlight.delete(request)
      })
      request.end(body)
    }
  }
}
