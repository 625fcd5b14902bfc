import type {IncomingMessage, ServerResponse} from 'node:http'
import {setTimeout as sleep} from 'node:timers/promises'
import {matchRoute, NOT_FOUND, type ApiRequest} from './api.js'
import type {SandboxCore} from './core.js'
import {defaultFaultBody} from './faults.js'
import {firewallVerdict} from './firewall.js'
import {IdempotencyStore} from './idempotency.js'
import {retryAfterSeconds} from './rate-limit.js'
import {sendText, splitTarget} from './http-util.js'

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
export async function serveApi(core: SandboxCore, request: IncomingMessage, response: ServerResponse, rawBody: string, signal: AbortSignal): Promise<void> {
  const started = performance.now()
  const time = core.nowIso()
  const method = request.method ?? 'GET'
  const target = request.url ?? '/'
  const {pathname, search} = splitTarget(target)
  const keyHeader = request.headers['idempotency-key']
  const idempotencyKey = typeof keyHeader === 'string' && keyHeader !== '' && IDEMPOTENT_METHODS.has(method) ? keyHeader : null
  let loggedBody: unknown
  if (rawBody.length > 0 && method !== 'GET') {
    try {
      loggedBody = JSON.parse(rawBody)
    } catch {
      loggedBody = rawBody
    }
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
  const answer = (status: number, text: string, headers: Record<string, string> = {}, extra: Omit<Outcome, 'status'> = {}): void => {
    sendText(response, status, text, headers)
    finish({status, ...extra})
  }
  const drop = (fault: string): void => {
    request.socket.destroy()
    finish({status: null, fault})
  }

  const blocked = firewallVerdict(method, rawBody)
  if (blocked !== undefined) return answer(403, JSON.stringify(blocked))

  const fault = core.faults.take(method, pathname)
  if (fault !== undefined) {
    if (fault.kind === 'status') return answer(fault.status, JSON.stringify(fault.body === undefined ? defaultFaultBody(fault.status) : fault.body), {}, {fault: 'status'})
    if (fault.kind === 'rate_limit')
      return answer(429, JSON.stringify(throttledBody(fault.retry_after)), {'retry-after': String(fault.retry_after)}, {fault: 'rate_limit'})
    if (fault.kind === 'reset_before') return drop('reset_before')
  }

  const route = matchRoute(method, pathname)
  if (route.kind === 'not_found') return answer(404, JSON.stringify(NOT_FOUND), {}, {fault: fault?.kind ?? null})

  const key = presentedKey(request.headers.authorization)
  if (key === undefined)
    return answer(401, JSON.stringify({detail: 'Authentication credentials were not provided.'}), {'www-authenticate': 'Token'}, {fault: fault?.kind ?? null})
  if (key !== core.apiKey) return answer(401, JSON.stringify({detail: 'Invalid token.'}), {'www-authenticate': 'Token'}, {fault: fault?.kind ?? null})

  if (route.kind === 'method_not_allowed')
    return answer(405, JSON.stringify({detail: `Method "${method}" not allowed.`}), {allow: route.allowed.join(', ')}, {fault: fault?.kind ?? null})

  const waitMs = core.limiter.take(route.operation.group)
  if (waitMs > 0) {
    const seconds = retryAfterSeconds(waitMs)
    return answer(429, JSON.stringify(throttledBody(seconds)), {'retry-after': String(seconds)}, {fault: fault?.kind ?? null})
  }

  let scope: string | undefined
  if (idempotencyKey !== null) {
    scope = IdempotencyStore.scope(WORKSPACE, method, pathname, idempotencyKey)
    const decision = core.idempotency.begin(scope, core.now())
    if (decision.kind === 'in_flight')
      return answer(409, JSON.stringify({detail: 'A request with this Idempotency-Key is already being processed. Retry after it completes.'}), {}, {fault: fault?.kind ?? null})
    if (decision.kind === 'replay') {
      if (fault?.kind === 'reset_after') return drop('reset_after')
      return answer(decision.response.status, decision.response.body, {}, {replayed: true, fault: fault?.kind ?? null})
    }
  }

  try {
    if (fault?.kind === 'latency' && fault.latency_ms > 0) await sleep(fault.latency_ms, undefined, {signal})
    const apiRequest: ApiRequest = {
      method,
      pathname,
      query: new URLSearchParams(search),
      rawBody,
      contentType: request.headers['content-type'],
      origin: `http://${request.headers.host ?? 'localhost'}`,
    }
    const result = route.operation.handle(core, apiRequest, route.botId)
    const text = JSON.stringify(result.body)
    if (scope !== undefined) {
      core.idempotency.complete(scope, result.status, text, core.now())
      core.changed()
    }
    if (fault?.kind === 'reset_after') return drop('reset_after')
    return answer(result.status, text, result.headers, {fault: fault?.kind ?? null})
  } catch (error) {
    if (scope !== undefined) core.idempotency.abandon(scope)
    if (signal.aborted) return drop('closed')
    throw error
  }
}

/** DRF's throttled answer. */
export function throttledBody(seconds: number): {detail: string} {
  return {detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`}
}
