import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {Logger} from './logger.js'
import type {ReplayCache} from './replay-cache.js'
import {webhookEventOf} from './webhook-event.js'
import {verifyWebhook} from './webhook-signature.js'
import {BodyTooLarge, readBodyBytes} from '../http/read-body.js'
import {parseJsonSafely} from '../http/safe-json.js'
import {RefusalLog} from './refusal-log.js'

/** Recall's bot events are well under 1 KiB; anything near this is not one. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024

export interface WebhookServerOptions {
  host: string
  port: number
  key: Buffer
  replay: ReplayCache
  log: Logger
  /** A verified, new bot status event (called after the 200 is sent). */
  onBotStatus: (event: {botId: string; code: string; event: string; webhookId: string}) => void
  /** The body of `GET /healthz`. */
  health: () => Record<string, unknown>
  /** `GET /readyz`: 200 when ready (a pass succeeded recently), else 503; always 200 when absent. */
  ready?: () => {ready: boolean} & Record<string, unknown>
  /** `GET /metrics` (Prometheus text); 404 when absent. */
  metrics?: () => Promise<{contentType: string; body: string}>
  /** Each webhook's verdict, for the metrics. */
  onVerdict?: (verdict: 'accepted' | 'duplicate' | 'ignored' | 'rejected') => void
  now?: () => number
  /** How often refused webhooks are summed up in the log; default REFUSAL_LOG_WINDOW_MS (60 s). */
  refusalLogWindowMs?: number
}

export interface WebhookServer {
  /** `http://host:port` as bound (port 0 resolved). */
  url: string
  port: number
  /** Stops accepting; resolves when open connections are done. */
  close(): Promise<void>
}

function send(
  response: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers})
  response.end(text)
}

/** A header value from outside, safe to put in a log line (ids are short tokens). */
const loggable = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined

/**
 * The webhook listener (node:http): `POST` on any path is a Recall webhook, `GET /healthz` answers 200
 * with `health()`. A webhook is verified (signature, timestamp), checked against the ids already
 * accepted, parsed, answered at once, and only then handed on: Recall wants an answer within 15 s,
 * and the reconcile it causes may wait for rate limits.
 */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const now = options.now ?? Date.now
  const {log} = options
  // Anyone who can reach the port can send these: counted, and logged once a window, not once each.
  const refusals = new RefusalLog({log, windowMs: options.refusalLogWindowMs})

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0]
    if (path === '/healthz') {
      request.resume()
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(response, 405, {error: 'method_not_allowed'}, {allow: 'GET, HEAD'})
      return send(response, 200, {status: 'ok', ...options.health()})
    }
    if (path === '/readyz' || path === '/metrics') {
      request.resume()
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(response, 405, {error: 'method_not_allowed'}, {allow: 'GET, HEAD'})
      if (path === '/readyz') {
        const ready = options.ready?.() ?? {ready: true}
        return send(response, ready.ready ? 200 : 503, {status: ready.ready ? 'ready' : 'not_ready', ...ready})
      }
      if (!options.metrics) return send(response, 404, {error: 'not_found'})
      const page = await options.metrics()
      response.writeHead(200, {'content-type': page.contentType, 'content-length': Buffer.byteLength(page.body)})
      return void response.end(page.body)
    }
    if (request.method !== 'POST') {
      request.resume()
      return send(
        response,
        405,
        {error: 'method_not_allowed', message: 'webhooks are POSTed; GET /healthz for health'},
        {allow: 'POST'},
      )
    }
    let body: Buffer
    try {
      body = await readBodyBytes(request, MAX_WEBHOOK_BODY_BYTES)
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) {
        // The sender hung up mid-body: nobody is left to answer, and it is not watch's fault.
        refusals.refuse('aborted', 'warn', 'webhook_rejected', 'the sender closed the connection before the whole body arrived')
        return void response.destroy()
      }
      refusals.refuse('body_too_large', 'warn', 'webhook_rejected', `the body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`)
      options.onVerdict?.('rejected')
      return send(response, 413, {error: 'body_too_large'}, {connection: 'close'})
    }
    const verified = verifyWebhook({headers: request.headers, body, key: options.key, nowMs: now()})
    if (!verified.ok) {
      refusals.refuse(verified.reason, 'warn', 'webhook_rejected', verified.message, {
        webhook_id: loggable(request.headers['webhook-id'] ?? request.headers['svix-id']),
      })
      options.onVerdict?.('rejected')
      return send(response, 401, {error: verified.reason})
    }
    const webhookId = verified.id
    if (options.replay.has(webhookId, now())) {
      refusals.refuse('replayed', 'info', 'webhook_duplicate', 'this webhook-id was handled already: ignored', {
        webhook_id: loggable(webhookId),
      })
      options.onVerdict?.('duplicate')
      return send(response, 200, {status: 'duplicate'})
    }
    const parsed = parseJsonSafely(body.toString('utf8'))
    const event = webhookEventOf(parsed.ok ? parsed.value : undefined)
    if (event.kind === 'invalid') {
      refusals.refuse('bad_event', 'warn', 'webhook_rejected', event.message, {webhook_id: loggable(webhookId)})
      options.onVerdict?.('rejected')
      return send(response, 400, {error: 'bad_event'})
    }
    options.replay.remember(webhookId, now())
    if (event.kind === 'other') {
      log.log('debug', 'webhook_ignored', 'not a bot status event', {webhook_event: event.event, webhook_id: loggable(webhookId)})
      options.onVerdict?.('ignored')
      return send(response, 200, {status: 'ignored'})
    }
    send(response, 200, {status: 'accepted'})
    options.onVerdict?.('accepted')
    log.info('webhook_received', undefined, {
      webhook_event: event.event,
      bot_id: event.botId,
      status: event.code,
      webhook_id: loggable(webhookId),
    })
    options.onBotStatus({botId: event.botId, code: event.code, event: event.event, webhookId})
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error('webhook_error', `the webhook could not be handled: ${(error as Error).message}`)
      if (!response.headersSent && !response.destroyed) send(response, 500, {error: 'internal'})
      else response.destroy()
    })
  })
  // Slow senders must not hold connections for long; Recall's own deadline is 15 s.
  server.requestTimeout = 10_000
  server.headersTimeout = 10_000
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({host: options.host, port: options.port}, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closed: Promise<void> | undefined
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        refusals.flush()
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      return closed
    },
  }
}
