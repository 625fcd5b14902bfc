import {Pool} from 'undici'
import {delay, forwardAbort} from './abort.js'
import {isKeyAllowedFor} from '../base-url.js'
import {ENDPOINT_GROUPS, paths, type EndpointGroup} from './endpoints.js'
import {
  RecallApiError,
  describeCall,
  describeNetworkCode,
  scrub,
  summarizeErrorBody,
  type RecallApiErrorFields,
} from './errors.js'
import {secretStringsOf} from '../../shared/redact.js'
import {
  copyCounters,
  emptyCounters,
  type RecallClientCounters,
  type RecallClientEvent,
  type RecallClientEventListener,
} from './events.js'
import {listBotsQuery, type ListBotsFilters} from './list-bots-query.js'
import {attemptHealth} from './adaptive-concurrency.js'
import {createRateLimiters, type EndpointOutlook} from './rate-limiter.js'
import {MAX_RESPONSE_BYTES, RESPONSE_TOO_LARGE, ResponseTooLarge, readCappedText} from './read-response.js'
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  formatWait,
  type AttemptOutcome,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.js'

/**
 * The Recall HTTP client: one keep-alive pool for the base URL, one sliding-window limiter per endpoint,
 * retries that are safe to repeat (a write keeps its Idempotency-Key), and errors written for people.
 * This module (with the pool) is the only one that loads undici: commands that do not talk to Recall
 * import base-url.ts, api-key.ts and errors.ts directly.
 */

/** A bot as Recall returns it. Only `id` is checked here; refresh reads the rest. */
export interface RecallBot {
  id: string
  [field: string]: unknown
}

export interface RecallClientTimeouts {
  /** Establishing the TCP/TLS connection. Default 10 s. */
  connectMs?: number | undefined
  /** From the request sent to the response headers. Exact to the millisecond. Default 30 s. */
  headersMs?: number | undefined
  /** Between two chunks of the body (a body that trickles is cut by attemptMs). Exact. Default 30 s. */
  bodyMs?: number | undefined
  /** Whole attempt, from leaving the limiter to the body read. Exact to the millisecond. Default 60 s. */
  attemptMs?: number | undefined
}

export interface RecallClientOptions {
  /** From resolveBaseUrl (or the sandbox's loopback URL); no trailing slash needed. */
  baseUrl: string
  apiKey: string
  /** The config's `api.allow_custom_base_url`: without it, the key goes only to Recall or loopback. */
  allowCustomBaseUrl?: boolean | undefined
  /** The variable the key came from, named in 401 hints. */
  apiKeyEnv?: string | undefined
  /** The config's `rate_limits` (requests per window); missing ones take Recall's documented limits. */
  rateLimits?: Partial<Record<EndpointGroup, number>> | undefined
  /** Rate window; 60 s at Recall. Tests scale it down. */
  rateWindowMs?: number | undefined
  /** See RateLimiterOptions.safetyMarginMs. */
  rateSafetyMarginMs?: number | undefined
  /**
   * Requests in flight at once per endpoint at most (`apply.concurrency`). Unset: automatic, following the
   * window up to MAX_IN_FLIGHT_PER_ENDPOINT (adaptive-concurrency.ts).
   */
  concurrency?: number | undefined
  retry?: Partial<RetryPolicy> | undefined
  timeouts?: RecallClientTimeouts | undefined
  /** The largest answer read; default MAX_RESPONSE_BYTES (20 MB). */
  maxResponseBytes?: number | undefined
  onEvent?: RecallClientEventListener | undefined
  /** Random source for jitter, in [0, 1). */
  random?: (() => number) | undefined
  userAgent?: string | undefined
}

export interface CallOptions {
  /** Aborts the call at any point, an attempt on the wire included. */
  signal?: AbortSignal | undefined
  /**
   * Ctrl-C: cancels the call while it waits (for a slot in the limiter, or a retry's back-off) with the
   * signal's reason. An attempt already on the wire finishes; its answer is returned, or, when it would be
   * retried, the call ends with the reason.
   */
  stop?: AbortSignal | undefined
}

export interface StartRecordingOptions extends CallOptions {
  /** Reused unchanged by every retry, so Recall performs the call once. */
  idempotencyKey: string
}

export interface ListBotsOptions extends CallOptions {
  /** Called after each page, for progress. */
  onPage?: ((page: {number: number; results: number; count: number | null}) => void) | undefined
}

export interface RecallClient {
  readonly baseUrl: string
  /** The bot, or null when Recall answers 404 (not in this workspace and region). */
  retrieveBot(botId: string, options?: CallOptions): Promise<RecallBot | null>
  /** Every bot matching the filters: follows `next` to the last page, never truncates; each id once. */
  listBots(filters?: ListBotsFilters, options?: ListBotsOptions): Promise<RecallBot[]>
  /** The bot as Recall returns it; null when Recall accepted the call but its answer is not a bot. */
  startRecording(
    botId: string,
    body: Readonly<Record<string, unknown>>,
    options: StartRecordingOptions,
  ): Promise<RecallBot | null>
  /** A copy of the running totals. */
  counters(): RecallClientCounters
  /** Each endpoint's limiter as it is now: for progress displays and their ETA. */
  outlook(endpoint: EndpointGroup): EndpointOutlook
  /** Calls not yet sent fail; calls in flight finish (no more retries); then the connections close. */
  close(): Promise<void>
}

interface CallSpec {
  endpoint: EndpointGroup
  botId: string | null
  method: 'GET' | 'POST'
  /** Path and query on the base URL's origin. */
  path: string
  body?: string
  idempotencyKey?: string
  /** Statuses returned to the caller rather than failing (404 for retrieve). */
  accept?: readonly number[]
  signal?: AbortSignal | undefined
  stop?: AbortSignal | undefined
  /** Secret strings of the body sent (URL userinfo and query values, secret metadata): scrubbed from Recall's answer. */
  secrets?: readonly string[]
}

type AttemptResult =
  | {kind: 'response'; status: number; retryAfter: string | undefined; text: string; ms: number}
  | {kind: 'network'; code: string; ms: number}

/**
 * How long one attempt may take, each phase capped (README, "Limits"): a server that never answers, or
 * answers a byte at a time, costs at most `attemptMs` per attempt before the retry policy decides.
 */
export const DEFAULT_TIMEOUTS = {connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000, attemptMs: 60_000} as const

function errorCode(error: unknown): string {
  for (let current: unknown = error, depth = 0; current !== null && typeof current === 'object' && depth < 4; depth++) {
    const code = (current as {code?: unknown}).code
    if (typeof code === 'string') return code
    current = (current as {cause?: unknown}).cause
  }
  return 'UNKNOWN'
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const isBot = (value: unknown): value is RecallBot => isRecord(value) && typeof value.id === 'string' && value.id !== ''

const withPeriod = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`)

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes} bytes`

export function createRecallClient(options: RecallClientOptions): RecallClient {
  const apiKey = options.apiKey
  if (apiKey === '') throw new TypeError('The Recall API key is empty.')
  let base: URL
  try {
    base = new URL(options.baseUrl)
  } catch {
    throw new TypeError('The Recall base URL is not a URL; resolve it with resolveBaseUrl first.')
  }
  if (!isKeyAllowedFor(base, options.allowCustomBaseUrl === true)) {
    throw new TypeError(
      `recallctl will not send the API key to ${base.origin}: it is neither a Recall region nor loopback. ` +
        'Set api.allow_custom_base_url: true if you trust this host.',
    )
  }
  const origin = base.origin
  const prefix = base.pathname.replace(/\/+$/, '')
  const baseUrl = `${origin}${prefix}`
  const policy: RetryPolicy = {...DEFAULT_RETRY_POLICY, ...options.retry}
  const timeouts = {...DEFAULT_TIMEOUTS, ...options.timeouts}
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES
  const networkWords = (code: string): string => {
    if (code === 'timeout') return `no complete answer came within ${timeouts.attemptMs} ms`
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return `no answer came within ${timeouts.headersMs} ms`
    if (code === 'UND_ERR_BODY_TIMEOUT') return `the answer stopped arriving for ${timeouts.bodyMs} ms`
    return describeNetworkCode(code)
  }
  const random = options.random ?? Math.random
  const secrets = [apiKey]
  const limiters = createRateLimiters({
    limits: options.rateLimits,
    windowMs: options.rateWindowMs,
    safetyMarginMs: options.rateSafetyMarginMs,
    concurrency: options.concurrency,
  })
  const pool = new Pool(origin, {
    // Enough for every endpoint's calls in flight at once; the limiters bound what is used.
    connections: ENDPOINT_GROUPS.reduce((sum, group) => sum + limiters.outlook(group).inFlightCeiling, 0),
    connect: {timeout: timeouts.connectMs},
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  })
  const counters = emptyCounters()
  const closing = new AbortController()
  let closed: Promise<void> | undefined
  const commonHeaders: Record<string, string> = {
    authorization: `Token ${apiKey}`,
    accept: 'application/json',
    'user-agent': options.userAgent ?? 'recallctl',
  }

  const emit = (event: RecallClientEvent): void => {
    try {
      options.onEvent?.(event)
    } catch {
      // An observer's bug must not fail or repeat a call to Recall.
    }
  }

  const fail = (message: string, fields: RecallApiErrorFields): RecallApiError =>
    new RecallApiError(scrub(message, secrets), {
      ...fields,
      detail: fields.detail === null ? null : scrub(fields.detail, secrets),
    })

  async function attemptOnce(spec: CallSpec): Promise<AttemptResult> {
    const started = performance.now()
    // Deadlines exact to the millisecond (undici's own timers tick about once a second): the whole
    // attempt, the wait for the headers, and each wait for the next chunk of the body.
    const attemptAbort = new AbortController()
    let timedOut: string | undefined
    const deadline = (ms: number, code: string): NodeJS.Timeout =>
      setTimeout(() => {
        timedOut ??= code
        attemptAbort.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'))
      }, ms)
    const timer = deadline(timeouts.attemptMs, 'timeout')
    let phaseTimer = deadline(timeouts.headersMs, 'UND_ERR_HEADERS_TIMEOUT')
    const detach = forwardAbort([spec.signal], attemptAbort)
    const headers: Record<string, string> = {...commonHeaders}
    if (spec.body !== undefined) headers['content-type'] = 'application/json'
    if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey
    try {
      const response = await pool.request({
        method: spec.method,
        path: spec.path,
        headers,
        body: spec.body,
        signal: attemptAbort.signal,
      })
      const nextChunk = (): void => {
        clearTimeout(phaseTimer)
        phaseTimer = deadline(timeouts.bodyMs, 'UND_ERR_BODY_TIMEOUT')
      }
      nextChunk()
      const text = await readCappedText(response.body, {
        declaredLength: response.headers['content-length'],
        maxBytes: maxResponseBytes,
        onChunk: nextChunk,
      })
      return {
        kind: 'response',
        status: response.statusCode,
        retryAfter: firstHeader(response.headers['retry-after']),
        text,
        ms: performance.now() - started,
      }
    } catch (error) {
      if (spec.signal?.aborted === true) throw spec.signal.reason
      const code = timedOut ?? (error instanceof ResponseTooLarge ? RESPONSE_TOO_LARGE : errorCode(error))
      return {kind: 'network', code, ms: performance.now() - started}
    } finally {
      clearTimeout(timer)
      clearTimeout(phaseTimer)
      detach()
    }
  }

  function finalError(spec: CallSpec, result: AttemptResult, decision: RetryDecision, attempts: number): RecallApiError {
    const call = describeCall(spec.endpoint, spec.botId)
    const each = attempts > 1 ? ` on each of ${attempts} attempts` : ''
    if (result.kind === 'network' && result.code === RESPONSE_TOO_LARGE) {
      return fail(
        `${call} failed: the answer from ${origin} is larger than ${formatBytes(maxResponseBytes)}, the most recallctl reads of one answer; it stopped reading there. Is ${baseUrl} a Recall API?`,
        {
          kind: 'invalid_response',
          endpoint: spec.endpoint,
          botId: spec.botId,
          status: null,
          code: RESPONSE_TOO_LARGE,
          detail: null,
          fieldErrors: null,
          attempts,
        },
      )
    }
    if (result.kind === 'network') {
      const what = networkWords(result.code)
      return fail(`${call} failed: ${what}${each} (${origin}). Check that ${origin} is reachable, then run again.`, {
        kind: 'network',
        endpoint: spec.endpoint,
        botId: spec.botId,
        status: null,
        code: result.code,
        detail: null,
        fieldErrors: null,
        attempts,
      })
    }
    const summary = summarizeErrorBody(result.text, [...secrets, ...(spec.secrets ?? [])])
    const said = `Recall answered ${result.status}${summary.code === null ? '' : ` ${summary.code}`}`
    const detail = summary.detail === null ? '.' : `: ${withPeriod(summary.detail)}`
    let hint = ''
    if (decision.retry === false && decision.why === 'retry_after_too_long') {
      const again = spec.endpoint === 'start_recording' ? 'run apply again later' : 'run again later'
      hint = ` Recall asked to wait ${formatWait(decision.retryAfterMs ?? 0)} (over the ${formatWait(policy.maxRetryAfterMs)} cap); ${again}.`
    } else if (result.status === 429) {
      hint = ` It was still rate-limited after ${attempts} attempts; lower rate_limits.${spec.endpoint} in recall.config.yaml to leave room for your other clients.`
    } else if (result.status === 409) {
      hint = ` A request with the same idempotency key was still in flight after ${attempts} attempts; run again later: Recall will replay its answer.`
    } else if (result.status >= 500) {
      hint = ` Recall kept failing${each}; run again later.`
    } else if (result.status === 401) {
      hint = ` Check that ${options.apiKeyEnv ?? 'the API key'} holds an API key of a workspace in this region (${origin}): a key works only in its own region.`
    } else if (result.status === 404 && spec.botId !== null) {
      hint = ` The bot does not exist in this workspace and region (${origin}).`
    } else if (result.status >= 300 && result.status < 400) {
      hint = ` recallctl does not follow redirects; check the base URL (${baseUrl}).`
    }
    return fail(`${call} failed: ${said}${detail}${hint}`, {
      kind: 'http',
      endpoint: spec.endpoint,
      botId: spec.botId,
      status: result.status,
      code: summary.code,
      detail: summary.detail,
      fieldErrors: summary.fieldErrors,
      attempts,
    })
  }

  /** One call: attempts through the limiter, retried per the policy. Returns the accepted answer. */
  async function call(spec: CallSpec): Promise<{status: number; text: string}> {
    if (closing.signal.aborted) throw closing.signal.reason
    let transientFailures = 0
    let rateLimited = 0
    const judge = (result: AttemptResult): 'accept' | RetryDecision => {
      if (result.kind === 'response' && (result.status < 300 || spec.accept?.includes(result.status) === true)) return 'accept'
      const outcome: AttemptOutcome =
        result.kind === 'network'
          ? {kind: 'network', code: result.code}
          : {kind: 'response', status: result.status, retryAfter: result.retryAfter}
      if (result.kind === 'response' && result.status === 429) {
        rateLimited++
        counters.rateLimited[spec.endpoint]++
      } else {
        transientFailures++
      }
      const decision = decideRetry(outcome, {transientFailures, rateLimited}, policy, Date.now(), random)
      if (decision.retry && decision.reason === 'rate_limited') {
        limiters.holdUntil(spec.endpoint, Date.now() + (decision.retryAfterMs ?? 0))
      }
      return decision
    }
    for (let attempt = 1; ; attempt++) {
      const queuedAt = performance.now()
      // The decision is made inside the task, before the limiter frees its slot: after a 429 the endpoint
      // is held before the next waiting call can start.
      const {result, decision} = await limiters.schedule(
        spec.endpoint,
        async (slot) => {
          counters.limiterWaitMs += performance.now() - queuedAt
          counters.requests[spec.endpoint]++
          const attemptResult = await attemptOnce(spec)
          slot.report(attemptHealth(attemptResult))
          return {result: attemptResult, decision: judge(attemptResult)}
        },
        {signals: [spec.signal, spec.stop], priority: attempt > 1 ? 1 : 0},
      )
      emit({
        type: 'request',
        endpoint: spec.endpoint,
        botId: spec.botId,
        attempt,
        status: result.kind === 'response' ? result.status : null,
        ...(result.kind === 'network' ? {error: result.code} : {}),
        ms: Math.round(result.ms),
      })
      if (decision === 'accept') {
        if (result.kind !== 'response') throw new Error('unreachable: accepted an attempt without an answer')
        return {status: result.status, text: result.text}
      }
      if (!decision.retry) throw finalError(spec, result, decision, attempt)
      if (closing.signal.aborted) throw closing.signal.reason
      if (spec.stop?.aborted === true) throw spec.stop.reason
      counters.retries[spec.endpoint]++
      if (decision.reason === 'rate_limited') {
        counters.rateLimitWaitMs += decision.waitMs
        emit({
          type: 'rate_limited',
          endpoint: spec.endpoint,
          botId: spec.botId,
          status: 429,
          attempt: attempt + 1,
          waitMs: decision.waitMs,
        })
      } else {
        emit({
          type: 'retry',
          endpoint: spec.endpoint,
          botId: spec.botId,
          attempt: attempt + 1,
          reason: decision.reason,
          status: result.kind === 'response' ? result.status : null,
          waitMs: decision.waitMs,
        })
      }
      await delay(decision.waitMs, [closing.signal, spec.signal, spec.stop])
    }
  }

  function parseJson(spec: CallSpec, text: string, what: string): unknown {
    try {
      return JSON.parse(text)
    } catch {
      throw notA(spec, `JSON, so it is not ${what}`)
    }
  }

  function notA(spec: CallSpec, what: string): RecallApiError {
    return fail(
      `${describeCall(spec.endpoint, spec.botId)} failed: the answer from ${origin} is not ${what}. Is ${baseUrl} a Recall API?`,
      {
        kind: 'invalid_response',
        endpoint: spec.endpoint,
        botId: spec.botId,
        status: null,
        code: null,
        detail: null,
        fieldErrors: null,
        attempts: 1,
      },
    )
  }

  /**
   * The path of a List Bots `next` link. It must name this API's host and port: the key never goes
   * anywhere else. A same-host `http://` link (Django behind a TLS proxy writes those) is followed over
   * this client's own scheme.
   */
  function nextPath(spec: CallSpec, next: string): string {
    let url: URL
    try {
      url = new URL(next, baseUrl)
    } catch {
      throw notA(spec, 'a page of bots (its next link is not a URL)')
    }
    const sameHost = url.hostname.toLowerCase() === base.hostname.toLowerCase()
    const samePort = url.port === base.port || (url.protocol !== base.protocol && url.port === '' && base.port === '')
    if (
      !sameHost ||
      !samePort ||
      url.username !== '' ||
      url.password !== '' ||
      (url.protocol !== 'https:' && url.protocol !== 'http:')
    ) {
      throw fail(
        `Listing bots stopped: Recall's next-page link points to ${url.protocol}//${url.host}, not to ${origin}, and recallctl sends the API key nowhere else. No bots were returned.`,
        {
          kind: 'refused_url',
          endpoint: 'list_bots',
          botId: null,
          status: null,
          code: null,
          detail: null,
          fieldErrors: null,
          attempts: 1,
        },
      )
    }
    return `${url.pathname}${url.search}`
  }

  return {
    baseUrl,

    async retrieveBot(botId, callOptions = {}) {
      const spec: CallSpec = {
        endpoint: 'retrieve_bot',
        botId,
        method: 'GET',
        path: prefix + paths.retrieveBot(botId),
        accept: [404],
        signal: callOptions.signal,
        stop: callOptions.stop,
      }
      const {status, text} = await call(spec)
      if (status === 404) return null
      const body = parseJson(spec, text, 'a bot')
      if (!isBot(body)) throw notA(spec, 'a bot')
      return body
    },

    async listBots(filters = {}, callOptions = {}) {
      const byId = new Map<string, RecallBot>()
      const seen = new Set<string>()
      let path = prefix + paths.listBots() + listBotsQuery(filters)
      for (let page = 1; ; page++) {
        seen.add(path)
        const spec: CallSpec = {
          endpoint: 'list_bots',
          botId: null,
          method: 'GET',
          path,
          signal: callOptions.signal,
          stop: callOptions.stop,
        }
        const {text} = await call(spec)
        const body = parseJson(spec, text, 'a page of bots')
        if (!isRecord(body) || !Array.isArray(body.results)) throw notA(spec, 'a page of bots')
        for (const bot of body.results) {
          if (!isBot(bot)) throw notA(spec, 'a page of bots (a result has no id)')
          // A bot created while listing shifts later pages; keep each bot once.
          if (!byId.has(bot.id)) byId.set(bot.id, bot)
        }
        callOptions.onPage?.({
          number: page,
          results: body.results.length,
          count: typeof body.count === 'number' ? body.count : null,
        })
        if (body.next === null || body.next === undefined || body.next === '') return [...byId.values()]
        if (typeof body.next !== 'string') throw notA(spec, 'a page of bots (its next link is not a string)')
        path = nextPath(spec, body.next)
        if (seen.has(path)) throw notA(spec, `a page of bots (page ${page}'s next link points back to a page already read)`)
      }
    },

    async startRecording(botId, body, callOptions) {
      const key: unknown = callOptions?.idempotencyKey
      if (typeof key !== 'string' || key === '') {
        throw new TypeError('startRecording needs an idempotencyKey: without one a retry could start the recording twice.')
      }
      if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
        throw new TypeError('The idempotencyKey must be 1 to 255 visible ASCII characters (an HTTP header value).')
      }
      const spec: CallSpec = {
        endpoint: 'start_recording',
        botId,
        method: 'POST',
        path: prefix + paths.startRecording(botId),
        body: JSON.stringify(body),
        secrets: secretStringsOf(body),
        idempotencyKey: callOptions.idempotencyKey,
        signal: callOptions.signal,
        stop: callOptions.stop,
      }
      const {text} = await call(spec)
      let answer: unknown
      try {
        answer = JSON.parse(text)
      } catch {
        return null
      }
      return isBot(answer) ? answer : null
    },

    counters: () => copyCounters(counters),

    outlook: (endpoint) => limiters.outlook(endpoint),

    close() {
      if (closed === undefined) {
        const reason = new Error('The Recall client was closed before this call could finish.')
        closing.abort(reason)
        limiters.close(reason)
        closed = pool.close()
      }
      return closed
    },
  }
}
