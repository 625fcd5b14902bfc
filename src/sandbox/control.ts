import type {IncomingMessage, ServerResponse} from 'node:http'
import {timingSafeEqual} from 'node:crypto'
import {z} from 'zod'
import {BOT_STATUSES} from '../config/bot-status.js'
import {rateLimitConfig, type SandboxCore} from './core.js'
import {faultRuleSchema} from './faults.js'
import {decodePathSegment, sendJson, splitTarget} from './http-util.js'
import {parseJsonSafely} from '../http/safe-json.js'
import {RATE_GROUPS, type RateGroup, type RateLimitSetting} from './rate-limit.js'
import {renderBot} from './render-bot.js'
import {SeedError} from './seed-bot.js'
import {sandboxStateSnapshotSchema} from './snapshot.js'
import {WebhookEndpointError} from './webhooks.js'

export const CONTROL_PREFIX = '/_sandbox/'

const statusMoveSchema = z
  .object({
    code: z
      .string()
      .min(1)
      .describe('The new status code (Recall documents ' + BOT_STATUSES.join(', ') + ').'),
    sub_code: z.string().nullable().optional(),
    message: z.string().optional(),
  })
  .strict()

const rateLimitsSchema = z
  .object({
    window_ms: z.number().positive().optional(),
    shared_bucket: z.boolean().optional(),
    limits: z.partialRecord(z.enum(RATE_GROUPS), z.union([z.number().int().positive(), z.literal(false), z.null()])).optional(),
  })
  .strict()

const clockSchema = z.object({advance_ms: z.number()}).strict()

const webhookEndpointSchema = z.object({url: z.string().min(1), secret: z.string().min(1).optional()}).strict()

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

function parseBody(rawBody: string): unknown {
  if (rawBody.trim() === '') return {}
  const parsed = parseJsonSafely(rawBody)
  if (parsed.ok) return parsed.value
  if (parsed.reason === 'forbidden_key')
    throw new ControlError(
      400,
      `the body is not allowed: ${parsed.message}${parsed.path.length > 0 ? ` (at ${parsed.path.join('.')})` : ''}`,
    )
  throw new ControlError(400, `the body is not JSON: ${parsed.message}`)
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`,
  )
  throw new ControlError(400, `${what} is not valid: ${problems.join('; ')}`)
}

function adminAuthorized(core: SandboxCore, header: string | undefined): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '')
  if (match === null) return false
  const given = Buffer.from(match[1]!.trim())
  const expected = Buffer.from(core.adminToken)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Seeds from a body: `{bots: [...]}`, a list, or one seed. */
function seedsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body
  if (body !== null && typeof body === 'object' && 'bots' in body) {
    const bots = (body as {bots: unknown}).bots
    if (!Array.isArray(bots)) throw new ControlError(400, '"bots" must be a list of bot seeds')
    return bots
  }
  return [body]
}

export const CONTROL_ENDPOINTS = [
  'GET    /_sandbox/                      this list',
  'GET    /_sandbox/state                 the whole state (bots, idempotency entries)',
  'PUT    /_sandbox/state                 replace the state with a saved one',
  'POST   /_sandbox/reset                 empty everything; body {"bots": [seeds]} optional',
  'GET    /_sandbox/bots                  every bot, as the API renders it',
  'POST   /_sandbox/bots                  add or replace bots: {"bots": [seeds]}, [seeds] or one seed',
  'GET    /_sandbox/bots/{id}             one bot',
  'DELETE /_sandbox/bots/{id}             remove a bot',
  'POST   /_sandbox/bots/{id}/status      move a bot: {"code", "sub_code"?, "message"?}',
  'GET    /_sandbox/faults                the fault schedule, with counts',
  'POST   /_sandbox/faults                add fault rules: one rule, [rules] or {"faults": [rules]}',
  'DELETE /_sandbox/faults                clear the schedule',
  'DELETE /_sandbox/faults/{id}           remove one rule',
  'GET    /_sandbox/requests?since=N      the request log (entries after seq N)',
  'DELETE /_sandbox/requests              clear the request log',
  'GET    /_sandbox/rate-limits           window, limits, shared bucket',
  'PUT    /_sandbox/rate-limits           change them: {"window_ms"?, "shared_bucket"?, "limits"?: {group: n|false|null}}',
  'GET    /_sandbox/clock                 the sandbox clock',
  'POST   /_sandbox/clock                 move the clock: {"advance_ms": n}',
  'GET    /_sandbox/webhooks              the webhook endpoints',
  'POST   /_sandbox/webhooks              add one: {"url": "http://127.0.0.1:PORT/...", "secret"?: "whsec_..."}',
  'DELETE /_sandbox/webhooks              remove every endpoint',
  'DELETE /_sandbox/webhooks/{id}         remove one endpoint',
  'GET    /_sandbox/webhooks/deliveries?since=N  the webhook delivery log (entries after seq N)',
]

/** Serves `/_sandbox/...`. Needs `Authorization: Bearer <admin token>`; never logged in the request log. */
export function serveControl(core: SandboxCore, request: IncomingMessage, response: ServerResponse, rawBody: string): void {
  if (!adminAuthorized(core, request.headers.authorization)) {
    sendJson(
      response,
      401,
      {
        detail:
          'The sandbox control endpoints need the admin token: send "Authorization: Bearer <admin token>" (printed when the sandbox starts).',
      },
      {'www-authenticate': 'Bearer'},
    )
    return
  }
  try {
    const {status, body} = route(core, request.method ?? 'GET', request.url ?? '/', rawBody)
    sendJson(response, status, body)
  } catch (error) {
    if (error instanceof ControlError) sendJson(response, error.status, {detail: error.message})
    else if (error instanceof SeedError || error instanceof WebhookEndpointError) sendJson(response, 400, {detail: error.message})
    else throw error
  }
}

function route(core: SandboxCore, method: string, target: string, rawBody: string): {status: number; body: unknown} {
  const {pathname, search} = splitTarget(target)
  const path = pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '')
  const decoded = path === '' ? [] : path.split('/').map(decodePathSegment)
  // A segment whose percent-encoding is broken matches no endpoint, bot or rule.
  if (decoded.includes(undefined)) throw new ControlError(404, `no control endpoint ${pathname}: its percent-encoding is broken`)
  const segments = decoded as string[]
  const [head, id, tail] = segments
  const notAllowed = (): never => {
    throw new ControlError(405, `${method} is not allowed on ${pathname}`)
  }

  if (head === undefined) return method === 'GET' ? {status: 200, body: {endpoints: CONTROL_ENDPOINTS}} : notAllowed()

  switch (head) {
    case 'state':
      if (segments.length !== 1) break
      if (method === 'GET') return {status: 200, body: core.snapshot()}
      if (method === 'PUT') {
        core.restore(check(sandboxStateSnapshotSchema, parseBody(rawBody), 'the state'))
        core.changed()
        return {status: 200, body: {bots: core.bots.size}}
      }
      return notAllowed()
    case 'reset':
      if (segments.length !== 1) break
      if (method !== 'POST') return notAllowed()
      core.reset(seedsOf(rawBody.trim() === '' ? {bots: []} : parseBody(rawBody)))
      return {status: 200, body: {bots: [...core.bots.values()].map(renderBot)}}
    case 'bots':
      if (id === undefined) {
        if (method === 'GET') return {status: 200, body: {bots: [...core.bots.values()].map(renderBot)}}
        if (method === 'POST') return {status: 201, body: {bots: core.seed(seedsOf(parseBody(rawBody))).map(renderBot)}}
        return notAllowed()
      }
      if (tail === undefined && segments.length === 2) {
        const bot = core.bots.get(id.toLowerCase())
        if (method === 'GET') {
          if (bot === undefined) throw new ControlError(404, `no bot ${id} in the sandbox`)
          return {status: 200, body: renderBot(bot)}
        }
        if (method === 'DELETE') {
          if (!core.bots.delete(id.toLowerCase())) throw new ControlError(404, `no bot ${id} in the sandbox`)
          core.changed()
          return {status: 200, body: {deleted: id}}
        }
        return notAllowed()
      }
      if (tail === 'status' && segments.length === 3) {
        if (method !== 'POST') return notAllowed()
        const move = check(statusMoveSchema, parseBody(rawBody), 'the status move')
        const bot = core.move(id.toLowerCase(), move)
        if (bot === undefined) throw new ControlError(404, `no bot ${id} in the sandbox`)
        return {status: 200, body: renderBot(bot)}
      }
      break
    case 'faults':
      if (id === undefined) {
        if (method === 'GET') return {status: 200, body: {faults: core.faults.list()}}
        if (method === 'DELETE') {
          core.faults.clear()
          return {status: 200, body: {faults: []}}
        }
        if (method === 'POST') {
          const body = parseBody(rawBody)
          const list = Array.isArray(body)
            ? body
            : body !== null && typeof body === 'object' && 'faults' in body
              ? (body as {faults: unknown}).faults
              : [body]
          if (!Array.isArray(list)) throw new ControlError(400, '"faults" must be a list of fault rules')
          const rules = list.map((item, index) => check(faultRuleSchema, item, `fault rule ${index}`))
          return {status: 201, body: {faults: rules.map((rule) => core.faults.add(rule))}}
        }
        return notAllowed()
      }
      if (segments.length === 2) {
        if (method !== 'DELETE') return notAllowed()
        if (!core.faults.remove(Number(id))) throw new ControlError(404, `no fault rule ${id}`)
        return {status: 200, body: {deleted: Number(id)}}
      }
      break
    case 'requests':
      if (segments.length !== 1) break
      if (method === 'GET') {
        const since = Number(new URLSearchParams(search).get('since') ?? 0)
        return {status: 200, body: {requests: core.log.list(Number.isFinite(since) ? since : 0)}}
      }
      if (method === 'DELETE') {
        core.log.clear()
        return {status: 200, body: {requests: []}}
      }
      return notAllowed()
    case 'rate-limits':
      if (segments.length !== 1) break
      if (method === 'GET') return {status: 200, body: rateLimitsView(core)}
      if (method === 'PUT') {
        const change = check(rateLimitsSchema, parseBody(rawBody), 'the rate limits')
        const current = core.limiter.settings
        const limits: Partial<Record<RateGroup, RateLimitSetting>> = {...current.limits}
        for (const [group, value] of Object.entries(change.limits ?? {}))
          limits[group as RateGroup] = value === null ? false : value
        core.limiter.configure(
          rateLimitConfig({
            rateLimits: limits,
            rateWindowMs: change.window_ms ?? current.windowMs,
            sharedBucket: change.shared_bucket ?? current.sharedBucket,
          }),
        )
        return {status: 200, body: rateLimitsView(core)}
      }
      return notAllowed()
    case 'clock':
      if (segments.length !== 1) break
      if (method === 'GET') return {status: 200, body: {now: core.nowIso()}}
      if (method === 'POST') {
        const {advance_ms} = check(clockSchema, parseBody(rawBody), 'the clock move')
        return {status: 200, body: {now: new Date(core.advanceClock(advance_ms)).toISOString()}}
      }
      return notAllowed()
    case 'webhooks':
      if (id === undefined) {
        if (method === 'GET') return {status: 200, body: {endpoints: core.webhooks.list()}}
        if (method === 'POST')
          return {status: 201, body: core.addWebhook(check(webhookEndpointSchema, parseBody(rawBody), 'the webhook endpoint'))}
        if (method === 'DELETE') {
          core.webhooks.clear()
          return {status: 200, body: {endpoints: []}}
        }
        return notAllowed()
      }
      if (segments.length !== 2) break
      if (id === 'deliveries') {
        if (method !== 'GET') return notAllowed()
        const since = Number(new URLSearchParams(search).get('since') ?? 0)
        return {status: 200, body: {deliveries: core.webhooks.deliveries(Number.isFinite(since) ? since : 0)}}
      }
      if (method !== 'DELETE') return notAllowed()
      if (!core.webhooks.remove(Number(id))) throw new ControlError(404, `no webhook endpoint ${id}`)
      return {status: 200, body: {deleted: Number(id)}}
  }
  throw new ControlError(404, `no control endpoint ${pathname}; GET ${CONTROL_PREFIX} lists them`)
}

function rateLimitsView(core: SandboxCore) {
  const settings = core.limiter.settings
  return {window_ms: settings.windowMs, shared_bucket: settings.sharedBucket, limits: settings.limits}
}
