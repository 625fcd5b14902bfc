import {stripControl, truncate} from '../../shared/control-chars.js'
import {redactUrl, scrubSecrets} from '../../shared/redact.js'
import type {EndpointGroup} from './endpoints.js'

/**
 * Errors from talking to Recall, written for people: which call, what Recall said (its `code` and
 * `detail`, or the field-keyed 400 body summarized), and what to do. No message ever holds the API key:
 * every text that came from the server is scrubbed of it before use.
 */

export type RecallErrorKind =
  /** Recall answered with a final error status, or kept answering a retryable one. */
  | 'http'
  /** No answer: connection failures or timeouts, after the retries. */
  | 'network'
  /** A 2xx whose body is not what the endpoint returns. */
  | 'invalid_response'
  /** A URL recallctl will not send the key to (a List Bots `next` on another host). */
  | 'refused_url'

export interface RecallApiErrorFields {
  kind: RecallErrorKind
  endpoint: EndpointGroup
  botId: string | null
  /** HTTP status of the last answer; null when there was none. */
  status: number | null
  /** Recall's `code` (`cannot_command_completed_bot`), or the connection failure (`ECONNRESET`, `timeout`). */
  code: string | null
  /** Recall's `detail`, or the 400 field errors summarized. */
  detail: string | null
  /** Field-keyed validation errors of a 400, by dotted path (`transcript.provider`). */
  fieldErrors: Record<string, string[]> | null
  attempts: number
}

export class RecallApiError extends Error implements RecallApiErrorFields {
  override readonly name = 'RecallApiError'
  readonly kind: RecallErrorKind
  readonly endpoint: EndpointGroup
  readonly botId: string | null
  readonly status: number | null
  readonly code: string | null
  readonly detail: string | null
  readonly fieldErrors: Record<string, string[]> | null
  readonly attempts: number

  constructor(message: string, fields: RecallApiErrorFields) {
    super(message)
    this.kind = fields.kind
    this.endpoint = fields.endpoint
    this.botId = fields.botId
    this.status = fields.status
    this.code = fields.code
    this.detail = fields.detail
    this.fieldErrors = fields.fieldErrors
    this.attempts = fields.attempts
  }
}

/**
 * Replaces every occurrence of each secret with `<redacted>`, in every form a server may echo it:
 * as is, percent-encoded, base64, JSON-escaped (see `encodedForms`).
 */
export function scrub(text: string, secrets: readonly string[]): string {
  return scrubSecrets(text, secrets)
}

const MAX_DETAIL_CHARS = 500
const MAX_FIELD_ERRORS = 10
const MAX_FIELD_PATH_CHARS = 120

/**
 * Text that came from the server, made fit for a terminal or a log: URLs lose userinfo and query
 * values (a 400 may quote the URL that was sent), control characters and ANSI sequences cannot act
 * (one line), and it is cut short.
 */
function clean(text: string, max: number): string {
  return truncate(stripControl(redactUrl(text)).trim(), max)
}

const clip = (text: string): string => clean(text, MAX_DETAIL_CHARS + 1)

export interface ErrorBodySummary {
  code: string | null
  detail: string | null
  fieldErrors: Record<string, string[]> | null
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** DRF's nested validation errors, flattened to dotted paths: `realtime_endpoints[1].url`. */
function flattenFieldErrors(value: unknown, path: string, out: Record<string, string[]>): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    ;(out[path || '(body)'] ??= []).push(String(value))
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) {
      if (value.length > 0) (out[path || '(body)'] ??= []).push(...value)
    } else {
      value.forEach((item, i) => flattenFieldErrors(item, `${path}[${i}]`, out))
    }
  } else if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) flattenFieldErrors(inner, path === '' ? key : `${path}.${key}`, out)
  }
}

/**
 * Recall's error body, summarized: `{code, detail}` for command errors, `{detail}` for auth and others,
 * `{field: [messages]}` (nested) for validation errors. Anything else (an HTML page from a proxy) gives
 * a short text or nothing.
 */
export function summarizeErrorBody(text: string, secrets: readonly string[]): ErrorBodySummary {
  const scrubbed = scrub(text, secrets)
  let body: unknown
  try {
    // Scrubbed again once parsed: a JSON escape (`\u0041`) may have hidden a secret from the first pass.
    body = scrubParsed(JSON.parse(scrubbed), secrets)
  } catch {
    const trimmed = scrubbed.trim()
    const looksLikeMarkup = trimmed.startsWith('<')
    return {code: null, detail: trimmed === '' || looksLikeMarkup ? null : clip(trimmed), fieldErrors: null}
  }
  if (isRecord(body) && ('detail' in body || 'code' in body)) {
    const code = typeof body.code === 'string' ? clean(body.code, 80) : null
    const rawDetail = body.detail
    const detail =
      rawDetail === undefined || rawDetail === null
        ? null
        : clip(typeof rawDetail === 'string' ? rawDetail : JSON.stringify(rawDetail))
    return {code, detail, fieldErrors: null}
  }
  // Keys are the server's: on null-prototype maps `__proto__` or `toString` is a field like any other.
  const raw: Record<string, string[]> = Object.create(null)
  flattenFieldErrors(body, '', raw)
  const fieldErrors: Record<string, string[]> = Object.create(null)
  for (const [path, messages] of Object.entries(raw))
    (fieldErrors[clean(path, MAX_FIELD_PATH_CHARS)] ??= []).push(...messages.map(clip))
  const entries = Object.entries(fieldErrors)
  if (entries.length === 0) return {code: null, detail: null, fieldErrors: null}
  const shown = entries.slice(0, MAX_FIELD_ERRORS).map(([path, messages]) => `${path}: ${messages.join(' ')}`)
  const more = entries.length > MAX_FIELD_ERRORS ? `; and ${entries.length - MAX_FIELD_ERRORS} more` : ''
  return {code: null, detail: clip(shown.join('; ') + more), fieldErrors}
}

/** Every string (and key) of a parsed body with the secrets scrubbed. */
function scrubParsed(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrub(value, secrets)
  if (Array.isArray(value)) return value.map((item) => scrubParsed(item, secrets))
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k, secrets), scrubParsed(v, secrets)]))
  return value
}

/** `Starting the recording of bot 6e1f…`, `Reading bot 6e1f…`, `Listing bots`: the subject of a sentence. */
export function describeCall(endpoint: EndpointGroup, botId: string | null): string {
  switch (endpoint) {
    case 'start_recording':
      return `Starting the recording of bot ${botId ?? '?'}`
    case 'retrieve_bot':
      return `Reading bot ${botId ?? '?'}`
    case 'list_bots':
      return 'Listing bots'
  }
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  EAI_AGAIN: 'the host name could not be resolved',
  ENOTFOUND: 'the host name does not exist',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CLOSED: 'the connection was closed',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer came in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stopped arriving',
  timeout: 'no complete answer came in time',
}

export const describeNetworkCode = (code: string): string => NETWORK_WORDS[code] ?? `the request failed (${code})`
