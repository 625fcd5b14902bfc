import {randomBytes} from 'node:crypto'
import type {BotState} from './bot-state.js'
import {FaultSchedule} from './faults.js'
import {IDEMPOTENCY_TTL_MS, IdempotencyStore} from './idempotency.js'
import {moveBot} from './lifecycle.js'
import {
  DEFAULT_RATE_LIMITS,
  DEFAULT_RATE_WINDOW_MS,
  RATE_GROUPS,
  RateLimiter,
  type RateGroup,
  type RateLimitConfig,
  type RateLimitSetting,
} from './rate-limit.js'
import {renderBot, type RenderedBot} from './render-bot.js'
import {RequestLog} from './request-log.js'
import {sandboxBotSeedSchema, type SandboxBotSeed} from './seed.js'
import {botFromSeed, SeedError} from './seed-bot.js'
import {SANDBOX_STATE_FORMAT, SANDBOX_STATE_VERSION, type SandboxStateSnapshot} from './snapshot.js'
import {WebhookEmitter, type WebhookEndpoint, type WebhookEndpointInput} from './webhooks.js'

/**
 * The API key of the embedded sandbox (`api.base_url: sandbox`) and the default of every sandbox.
 * Not a secret: the sandbox listens on loopback only and holds no real data.
 */
export const SANDBOX_API_KEY = 'recallctl-sandbox-key'

export const DEFAULT_PAGE_SIZE = 50

export interface SandboxOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number
  /** Loopback address to listen on: 127.0.0.1 (default), ::1 or localhost. Anything else is refused. */
  host?: string
  /** The workspace API key clients must send. Default SANDBOX_API_KEY. */
  apiKey?: string
  /** Token for `/_sandbox/` control endpoints (`Authorization: Bearer <token>`). Default: random. */
  adminToken?: string
  /** Per-group limits per window; `false` turns all limits off, a group's `false`/Infinity turns that group off. */
  rateLimits?: false | Partial<Record<RateGroup, RateLimitSetting>>
  /** Sliding window length in ms (Recall: 60 000). Scale it down for fast tests. */
  rateWindowMs?: number
  /** All `bot/{id}` calls share one bucket (limit `rateLimits.shared_bot`, default 300). */
  sharedBucket?: boolean
  /** Bots to start with (ignored when `state` is given). */
  bots?: readonly SandboxBotSeed[]
  /** A saved state to start from (see `RunningSandbox.snapshot()`). */
  state?: SandboxStateSnapshot
  /** List Bots page size. Default 50. */
  pageSize?: number
  /** Wall clock in ms since the epoch: timestamps and the idempotency hour. Default Date.now. */
  clock?: () => number
  /** Enforce cross-field rules of severity `warning` too (NOTES.md marks them guesses). Default false. */
  enforceWarningRules?: boolean
  /** How long a completed idempotent request is replayed. Default one hour. */
  idempotencyTtlMs?: number
  /** Request log entries kept. Default 10 000. */
  requestLogLimit?: number
  /** Endpoints that receive Svix-signed `bot.<status>` events on every status change (loopback only). */
  webhooks?: readonly WebhookEndpointInput[]
  /** How long one webhook delivery may take. Default 5 000 ms. */
  webhookTimeoutMs?: number
}

export interface StatusMove {
  code: string
  sub_code?: string | null
  message?: string
}

export function rateLimitConfig(options: Pick<SandboxOptions, 'rateLimits' | 'rateWindowMs' | 'sharedBucket'>): RateLimitConfig {
  const limits = {...DEFAULT_RATE_LIMITS} as Record<RateGroup, RateLimitSetting>
  if (options.rateLimits === false) for (const group of RATE_GROUPS) limits[group] = false
  else if (options.rateLimits !== undefined) {
    for (const [group, value] of Object.entries(options.rateLimits)) {
      if (!(RATE_GROUPS as readonly string[]).includes(group))
        throw new Error(`unknown rate limit group "${group}"; the groups are ${RATE_GROUPS.join(', ')}`)
      if (value !== undefined) limits[group as RateGroup] = value
    }
  }
  const windowMs = options.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS
  if (!(windowMs > 0)) throw new Error(`rateWindowMs must be a positive number of milliseconds, not ${windowMs}`)
  return {windowMs, limits, sharedBucket: options.sharedBucket ?? false}
}

/** The sandbox's world and machinery, without HTTP: bots, limits, idempotency, faults, request log. */
export class SandboxCore {
  readonly bots = new Map<string, BotState>()
  readonly limiter: RateLimiter
  readonly idempotency: IdempotencyStore
  readonly faults = new FaultSchedule()
  readonly log: RequestLog
  readonly webhooks: WebhookEmitter
  readonly apiKey: string
  readonly adminToken: string
  readonly pageSize: number
  readonly enforceWarningRules: boolean
  private clockOffsetMs = 0
  private readonly baseClock: () => number
  private changeListeners: Array<() => void> = []

  constructor(options: SandboxOptions = {}) {
    this.apiKey = options.apiKey ?? SANDBOX_API_KEY
    if (this.apiKey.length === 0) throw new Error('the sandbox API key must not be empty')
    this.adminToken = options.adminToken ?? `sbx_admin_${randomBytes(16).toString('hex')}`
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1)
      throw new Error(`pageSize must be a positive integer, not ${options.pageSize}`)
    this.enforceWarningRules = options.enforceWarningRules ?? false
    this.baseClock = options.clock ?? Date.now
    this.limiter = new RateLimiter(rateLimitConfig(options))
    this.idempotency = new IdempotencyStore(options.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS)
    this.log = new RequestLog(options.requestLogLimit)
    this.webhooks = new WebhookEmitter(() => this.now(), options.webhookTimeoutMs)
    if (options.state !== undefined) this.restore(options.state)
    else if (options.bots !== undefined) this.seed(options.bots)
    for (const endpoint of options.webhooks ?? []) this.addWebhook(endpoint)
  }

  /** Registers a webhook endpoint: every later status change of any bot is sent to it. */
  addWebhook(input: WebhookEndpointInput): WebhookEndpoint {
    return this.webhooks.add(input, this.bots.values())
  }

  /** Wall-clock ms: the injected clock plus any offset set through the control API. */
  now(): number {
    return this.baseClock() + this.clockOffsetMs
  }

  nowIso(): string {
    return new Date(this.now()).toISOString()
  }

  advanceClock(ms: number): number {
    this.clockOffsetMs += ms
    return this.now()
  }

  /** Called after every change of state worth saving (bots, idempotency entries). */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener)
  }

  changed(): void {
    this.webhooks.observe(this.bots.values())
    for (const listener of this.changeListeners) listener()
  }

  /** Adds or replaces bots. Every seed is checked first: one bad seed adds none. */
  seed(seeds: readonly unknown[]): BotState[] {
    const problems: string[] = []
    const bots: BotState[] = []
    const now = this.now()
    seeds.forEach((raw, index) => {
      const parsed = sandboxBotSeedSchema.safeParse(raw)
      if (!parsed.success) {
        problems.push(
          ...parsed.error.issues.map(
            (issue) =>
              `bots[${index}]${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
          ),
        )
        return
      }
      try {
        bots.push(botFromSeed(parsed.data, now))
      } catch (error) {
        if (error instanceof SeedError) problems.push(`bots[${index}]: ${error.message}`)
        else throw error
      }
    })
    if (problems.length > 0) throw new SeedError(`the sandbox seeds are not valid:\n  ${problems.join('\n  ')}`)
    for (const bot of bots) this.bots.set(bot.id, bot)
    if (bots.length > 0) this.changed()
    return bots
  }

  /** Moves a bot to a new status (appending to status_changes), with the recording side effects. */
  move(id: string, move: StatusMove): BotState | undefined {
    const bot = this.bots.get(id)
    if (bot === undefined) return undefined
    moveBot(bot, move.code, this.nowIso(), move.sub_code ?? null, move.message)
    this.changed()
    return bot
  }

  render(id: string): RenderedBot | undefined {
    const bot = this.bots.get(id)
    return bot === undefined ? undefined : renderBot(bot)
  }

  /**
   * The state to save. A copy by default; `copy: false` shares the live bots, for a caller that
   * serializes it at once (the state saver).
   */
  snapshot(copy = true): SandboxStateSnapshot {
    const bots = [...this.bots.values()]
    return {
      format: SANDBOX_STATE_FORMAT,
      version: SANDBOX_STATE_VERSION,
      saved_at: this.nowIso(),
      bots: copy ? structuredClone(bots) : bots,
      idempotency: this.idempotency.entries(this.now()),
    }
  }

  restore(snapshot: SandboxStateSnapshot): void {
    this.bots.clear()
    for (const bot of structuredClone(snapshot.bots)) this.bots.set(bot.id, bot)
    this.idempotency.clear()
    this.idempotency.load(snapshot.idempotency, this.now())
  }

  /** Back to an empty world (or the given seeds): bots, idempotency, windows, faults and the log all go. */
  reset(seeds: readonly unknown[] = []): void {
    this.bots.clear()
    this.idempotency.clear()
    this.limiter.reset()
    this.faults.clear()
    this.log.clear()
    this.webhooks.clearDeliveries()
    this.clockOffsetMs = 0
    this.seed(seeds)
    this.changed()
  }
}
