import type {RecallClientEvent} from '../recall/client/events.js'
import type {LogFields, Logger, LogLevel} from './logger.js'

/** What watch's `/metrics` answers. */
export interface MetricsPage {
  contentType: string
  body: string
}

/**
 * watch's Prometheus metrics (through prom-client, loaded only by watch): passes and their duration,
 * Recall requests by endpoint and outcome, 429s and the seconds waited after them and in the limiters,
 * webhooks by verdict, bots by what was done to them, and the time of the last successful pass.
 */
export interface WatchMetrics {
  pass(outcome: {ok: boolean; seconds: number; at: Date}): void
  clientEvent(event: RecallClientEvent): void
  webhook(verdict: string): void
  /** A logger that counts the bot events it carries (calls, refusals), then hands each line on. */
  observe(log: Logger): Logger
  render(): Promise<MetricsPage>
}

/** A request's outcome as a label: few values, so that series stay few. */
export function requestOutcome(status: number | null): string {
  if (status === null) return 'network_error'
  if (status >= 200 && status < 300) return 'ok'
  if (status === 404) return 'not_found'
  if (status === 429) return 'rate_limited'
  if (status === 409) return 'conflict'
  return status >= 500 ? 'server_error' : 'client_error'
}

/** The log events that are something done (or refused) to one bot. */
const BOT_ACTIONS: Readonly<Record<string, string>> = {
  call_already_applied: 'already_applied',
  call_stale: 'stale',
  call_failed: 'failed',
  restart_not_allowed: 'restart_refused',
  bot_conflict: 'conflict',
}

/** Reads and writes: start_recording changes a bot, every other endpoint reads. */
const kindOf = (endpoint: string) => (endpoint === 'start_recording' ? 'write' : 'read')

export async function createWatchMetrics(limiterWaitMs: () => number): Promise<WatchMetrics> {
  const loaded = await import('prom-client')
  // prom-client is CommonJS: bundled, its exports arrive as the namespace's default.
  const {Counter, Gauge, Histogram, Registry} = ((loaded as unknown as {default?: typeof loaded}).default ??
    loaded) as typeof loaded
  const registry = new Registry()
  const passes = new Counter({
    name: 'recallctl_watch_passes_total',
    help: 'Polling passes, by outcome (ok, error).',
    labelNames: ['outcome'],
    registers: [registry],
  })
  const passSeconds = new Histogram({
    name: 'recallctl_watch_pass_duration_seconds',
    help: 'How long a polling pass took: its reads and the calls it made.',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  })
  const lastSuccess = new Gauge({
    name: 'recallctl_watch_last_success_timestamp_seconds',
    help: 'Unix time the last successful pass ended (0: none yet).',
    registers: [registry],
  })
  const requests = new Counter({
    name: 'recallctl_recall_requests_total',
    help: 'Requests to Recall (each attempt), by endpoint, kind (read or write) and outcome.',
    labelNames: ['endpoint', 'kind', 'outcome'],
    registers: [registry],
  })
  const rateLimited = new Counter({
    name: 'recallctl_recall_rate_limited_total',
    help: '429 answers from Recall, by endpoint.',
    labelNames: ['endpoint'],
    registers: [registry],
  })
  const retryAfterSeconds = new Counter({
    name: 'recallctl_recall_rate_limit_wait_seconds_total',
    help: 'Seconds waited after 429 answers (Retry-After plus jitter), by endpoint.',
    labelNames: ['endpoint'],
    registers: [registry],
  })
  new Counter({
    name: 'recallctl_limiter_wait_seconds_total',
    help: "Seconds requests waited for a slot in recallctl's own rate limiters, summed over requests.",
    registers: [registry],
    collect() {
      this.reset()
      const seconds = limiterWaitMs() / 1000
      if (seconds > 0) this.inc(seconds)
    },
  })
  const webhooks = new Counter({
    name: 'recallctl_watch_webhooks_total',
    help: 'Webhooks received, by verdict (accepted, duplicate, ignored, rejected).',
    labelNames: ['verdict'],
    registers: [registry],
  })
  const bots = new Counter({
    name: 'recallctl_watch_bots_total',
    help: 'Bots acted on, by action (started, restarted, stale, failed, restart_refused, conflict).',
    labelNames: ['action'],
    registers: [registry],
  })
  lastSuccess.set(0)
  passes.inc({outcome: 'ok'}, 0)
  passes.inc({outcome: 'error'}, 0)

  const count = (event: string, fields: LogFields) => {
    if (event === 'call_done') bots.inc({action: fields['action'] === 'restart' ? 'restarted' : 'started'})
    else if (BOT_ACTIONS[event] !== undefined) bots.inc({action: BOT_ACTIONS[event]})
  }

  return {
    pass({ok, seconds, at}) {
      passes.inc({outcome: ok ? 'ok' : 'error'})
      passSeconds.observe(seconds)
      if (ok) lastSuccess.set(at.getTime() / 1000)
    },
    webhook(verdict) {
      webhooks.inc({verdict})
    },
    clientEvent(event) {
      if (event.type === 'request')
        requests.inc({endpoint: event.endpoint, kind: kindOf(event.endpoint), outcome: requestOutcome(event.status)})
      else if (event.type === 'rate_limited') {
        rateLimited.inc({endpoint: event.endpoint})
        retryAfterSeconds.inc({endpoint: event.endpoint}, event.waitMs / 1000)
      }
    },
    observe(log) {
      const observed = (level: LogLevel, event: string, message?: string, fields: LogFields = {}) => {
        count(event, fields)
        log.log(level, event, message, fields)
      }
      return {
        log: observed,
        info: (event, message, fields) => observed('info', event, message, fields),
        warn: (event, message, fields) => observed('warn', event, message, fields),
        error: (event, message, fields) => observed('error', event, message, fields),
      }
    },
    async render() {
      return {contentType: registry.contentType, body: await registry.metrics()}
    },
  }
}
