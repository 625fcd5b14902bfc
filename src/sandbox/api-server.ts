import type {IncomingMessage, ServerResponse} from 'node:http'
import {setTimeout as sleep} from 'node:timers/promises'
import {matchRoute, NOT_FOUND, type ApiRequest} from './api.js'
import type {SandboxCore} from './core.js'
import {defaultFaultBody} from './faults.js'
import {firewallVerdict} from './firewall.js'
import {IdempotencyStore} from './idempotency.js'
import {retryAfterSeconds} from './rate-limit.js'
import {sendText, splitTarget} from './http-util.js'
import {parseJsonSafely, type SafeJson} from '../http/safe-json.js'

const IDEMPOTENT_METHODS = new Set(['POST', 'PUT', 'PATCH'])

/** Only one workspace per sandbox: every valid key belongs to it. */
const WORKSPACE = 'workspace'

/** `Authorization: Token <key>` or the bare key (NOTES.md). */
function presentedKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  if (trimmed === '') return undefined
  const match = /^Token\s+(.+)$/i.exec(trimmed)
  return match === null ? trimmed : match[1]!.trim()
}

interface Outcome {
  status: number | null
  replayed?: boolean
  fault?: string | null
}

/**
 * Serves one request to the emulated Recall API. The order follows Recall's stack: the firewall,
 * then the path (Django routes before DRF authenticates), authentication, throttling, idempotency,
 * then the view (404, validation, bot state).
 */
export async function serveApi(
  core: SandboxCore,
  request: IncomingMessage,
  response: ServerResponse,
  rawBody: string,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now()
  const time = core.nowIso()
  const method = request.method ?? 'GET'
  const target = request.url ?? '/'
  const {pathname, search} = splitTarget(target)
  const keyHeader = request.headers['idempotency-key']
  const idempotencyKey = typeof keyHeader === 'string' && keyHeader !== '' && IDEMPOTENT_METHODS.has(method) ? keyHeader : null
  // The body is parsed once, for the firewall, the log and the view alike.
  const json = parseOnce(rawBody)
  let loggedBody: unknown
  if (rawBody.length > 0 && method !== 'GET') {
    const parsed = json()
    loggedBody = parsed.ok ? parsed.value : rawBody
  }

  const finish = (outcome: Outcome): void => {
    core.log.add({
      time,
      method,
      path: target,
      status: outcome.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      idempotency_key: idempotencyKey,
      replayed: outcome.replayed ?? false,
      fault: outcome.fault ?? null,
      ...(loggedBody === undefined ? {} : {body: loggedBody}),
    })
  }
  const fault = core.faults.take(method, pathname)
  const faultKind = fault?.kind ?? null
  let delayed = false
  /** A latency fault holds the request once, wherever it ends; it is applied before processing when there is any. */
  const delay = async (): Promise<void> => {
    if (fault?.kind !== 'latency' || delayed || fault.latency_ms === 0) return
    delayed = true
    await sleep(fault.latency_ms, undefined, {signal})
  }
  const drop = (kind: string): void => {
    request.socket.destroy()
    finish({status: null, fault: kind})
  }
  /** Sends an answer, unless a reset_after fault says to drop the connection instead. */
  const answer = async (status: number, text: string, headers: Record<string, string> = {}, replayed = false): Promise<void> => {
    await delay()
    if (faultKind === 'reset_after') return drop('reset_after')
    sendText(response, status, text, headers)
    finish({status, replayed, fault: faultKind})
  }

  let scope: string | undefined
  try {
    const blocked = firewallVerdict(method, rawBody, json)
    if (blocked !== undefined) return await answer(403, JSON.stringify(blocked))

    if (fault?.kind === 'status')
      return await answer(fault.status, JSON.stringify(fault.body === undefined ? defaultFaultBody(fault.status) : fault.body))
    if (fault?.kind === 'rate_limit')
      return await answer(429, JSON.stringify(throttledBody(fault.retry_after)), {'retry-after': String(fault.retry_after)})
    if (fault?.kind === 'reset_before') return drop('reset_before')

    const route = matchRoute(method, pathname)
    if (route.kind === 'not_found') return await answer(404, JSON.stringify(NOT_FOUND))

    const key = presentedKey(request.headers.authorization)
    if (key === undefined)
      return await answer(401, JSON.stringify({detail: 'Authentication credentials were not provided.'}), {
        'www-authenticate': 'Token',
      })
    if (key !== core.apiKey) return await answer(401, JSON.stringify({detail: 'Invalid token.'}), {'www-authenticate': 'Token'})

    if (route.kind === 'method_not_allowed')
      return await answer(405, JSON.stringify({detail: `Method "${method}" not allowed.`}), {allow: route.allowed.join(', ')})

    const waitMs = core.limiter.take(route.operation.group)
    if (waitMs > 0) {
      const seconds = retryAfterSeconds(waitMs)
      return await answer(429, JSON.stringify(throttledBody(seconds)), {'retry-after': String(seconds)})
    }

    if (idempotencyKey !== null) {
      const candidate = IdempotencyStore.scope(WORKSPACE, method, pathname, idempotencyKey)
      const decision = core.idempotency.begin(candidate, core.now())
      if (decision.kind === 'in_flight')
        return await answer(
          409,
          JSON.stringify({detail: 'A request with this Idempotency-Key is already being processed. Retry after it completes.'}),
        )
      if (decision.kind === 'replay') return await answer(decision.response.status, decision.response.body, {}, true)
      scope = candidate
    }

    // Held here, the request is in flight: a duplicate idempotency key now gets 409.
    await delay()
    const apiRequest: ApiRequest = {
      method,
      pathname,
      query: new URLSearchParams(search),
      rawBody,
      json,
      contentType: request.headers['content-type'],
      origin: `http://${request.headers.host ?? 'localhost'}`,
    }
    const result = route.operation.handle(core, apiRequest, route.botId)
    const text = JSON.stringify(result.body)
    if (scope !== undefined) {
      core.idempotency.complete(scope, result.status, text, core.now())
      scope = undefined
      core.changed()
    }
    return await answer(result.status, text, result.headers)
  } catch (error) {
    if (scope !== undefined) core.idempotency.abandon(scope)
    if (signal.aborted) return drop('closed')
    throw error
  }
}

export type ParsedBody = SafeJson

/** Parsed on first use into null-prototype objects; forbidden keys, broken or too deep JSON are failures, never throws. */
function parseOnce(rawBody: string): () => ParsedBody {
  let parsed: ParsedBody | undefined
  return () => {
    parsed ??= rawBody.length === 0 ? {ok: true, value: undefined} : parseJsonSafely(rawBody)
    return parsed
  }
}

/** DRF's throttled answer. */
export function throttledBody(seconds: number): {detail: string} {
  return {detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`}
}
