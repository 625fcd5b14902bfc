import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {serveApi} from './api-server.js'
import {CONTROL_PREFIX, serveControl} from './control.js'
import {SandboxCore, type SandboxOptions, type StatusMove} from './core.js'
import type {FaultRuleInput, ScheduledFault} from './faults.js'
import {faultRuleSchema} from './faults.js'
import {BodyTooLarge, readBody, sendJson} from './http-util.js'
import type {RateLimitConfig} from './rate-limit.js'
import type {RenderedBot} from './render-bot.js'
import type {RequestLogEntry} from './request-log.js'
import type {SandboxBotSeed} from './seed.js'
import type {SandboxStateSnapshot} from './snapshot.js'
import type {WebhookDelivery, WebhookEndpoint, WebhookEndpointInput} from './webhooks.js'

export interface RunningSandbox {
  /** `http://127.0.0.1:PORT`, no trailing slash: the API base URL. */
  url: string
  port: number
  apiKey: string
  /** For `/_sandbox/` control endpoints: `Authorization: Bearer <adminToken>`. */
  adminToken: string
  /** Stops listening, drops open connections, and (embedded mode) saves the state. */
  close(): Promise<void>
  /** Direct access to the world, for tests and the embedded mode. */
  core: SandboxCore
  /** A bot as the API renders it, or undefined. */
  bot(id: string): RenderedBot | undefined
  /** Adds or replaces bots (all seeds are checked first). */
  seed(bots: readonly SandboxBotSeed[]): void
  /** Moves a bot to a status, appending to status_changes (leaving the call completes its recording). */
  setStatus(id: string, move: string | StatusMove): RenderedBot
  /** Adds a fault rule to the schedule. */
  injectFault(rule: FaultRuleInput): ScheduledFault
  /** The request log, oldest first (entries after `since`). */
  requests(since?: number): RequestLogEntry[]
  /** Changes the rate limits and forgets the windows. */
  setRateLimits(change: Partial<RateLimitConfig>): void
  /** Moves the sandbox clock forward (the idempotency hour, timestamps). */
  advanceClock(ms: number): void
  snapshot(): SandboxStateSnapshot
  /** Empties the world (or reseeds it). */
  reset(bots?: readonly SandboxBotSeed[]): void
  /** Sends Svix-signed `bot.<status>` events of every later status change to this loopback URL. */
  addWebhook(endpoint: WebhookEndpointInput): WebhookEndpoint
  /** The webhook delivery log, oldest first (entries after `since`). */
  webhookDeliveries(since?: number): WebhookDelivery[]
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

/** Starts a sandbox on loopback. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1'
  if (!LOOPBACK_HOSTS.has(host) && !/^127(\.\d{1,3}){3}$/.test(host))
    throw new Error(`the sandbox listens on loopback only (127.0.0.1, ::1 or localhost), not on ${host}`)
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`port must be an integer from 0 to 65535, not ${port}`)
  const core = new SandboxCore(options)
  const closing = new AbortController()

  const server = createServer({keepAliveTimeout: 30_000}, (request, response) => {
    handle(core, request, response, closing.signal).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) sendJson(response, 500, {detail: 'A server error occurred.'})
      else response.destroy()
      process.emitWarning(`recallctl sandbox: ${(error as Error).stack ?? String(error)}`)
    })
  })
  server.headersTimeout = 10_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({port, host}, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closed: Promise<void> | undefined

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    apiKey: core.apiKey,
    adminToken: core.adminToken,
    core,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort()
        core.webhooks.close()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
    bot: (id) => core.render(id.toLowerCase()),
    seed: (bots) => void core.seed(bots),
    setStatus(id, move) {
      const bot = core.move(id.toLowerCase(), typeof move === 'string' ? {code: move} : move)
      if (bot === undefined) throw new Error(`no bot ${id} in the sandbox`)
      return core.render(bot.id)!
    },
    injectFault: (rule) => core.faults.add(faultRuleSchema.parse(rule)),
    requests: (since) => core.log.list(since),
    setRateLimits: (change) => core.limiter.configure({...core.limiter.settings, ...change}),
    advanceClock: (ms) => void core.advanceClock(ms),
    snapshot: () => core.snapshot(),
    reset: (bots) => core.reset(bots),
    addWebhook: (endpoint) => core.addWebhook(endpoint),
    webhookDeliveries: (since) => core.webhooks.deliveries(since),
  }
}

async function handle(core: SandboxCore, request: IncomingMessage, response: ServerResponse, signal: AbortSignal): Promise<void> {
  let rawBody: string
  try {
    rawBody = await readBody(request)
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      sendJson(response, 413, {detail: 'Request body too large.'}, {connection: 'close'})
      return
    }
    // The client went away mid-body: nobody is left to answer, and it is not the sandbox's fault.
    response.destroy()
    return
  }
  const target = request.url ?? '/'
  if (target === CONTROL_PREFIX.slice(0, -1) || target.startsWith(CONTROL_PREFIX)) serveControl(core, request, response, rawBody)
  else await serveApi(core, request, response, rawBody, signal)
}
