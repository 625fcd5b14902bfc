import {createHmac, timingSafeEqual} from 'node:crypto'

/** Svix (Recall's webhook sender) refuses nothing older or newer than this; neither do we. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000

const SECRET_PREFIX = 'whsec_'
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * The HMAC key of a workspace webhook secret (`whsec_` + base64, from Recall's dashboard), or a
 * sentence for people. `name` is the variable it came from: the value itself is never repeated.
 */
export function parseWebhookSecret(
  value: string | undefined,
  name: string,
): {ok: true; key: Buffer} | {ok: false; message: string} {
  if (value === undefined || value.trim() === '')
    return {
      ok: false,
      message: `${name} is not set: put the workspace's webhook signing secret (whsec_..., from Recall's dashboard) in it.`,
    }
  const secret = value.trim()
  if (!secret.startsWith(SECRET_PREFIX))
    return {
      ok: false,
      message: `${name} does not hold a webhook signing secret: it must start with "${SECRET_PREFIX}" followed by base64, as Recall's dashboard shows it.`,
    }
  const encoded = secret.slice(SECRET_PREFIX.length)
  const canonical = Buffer.from(encoded, 'base64').toString('base64').replace(/=+$/, '')
  if (!BASE64.test(encoded) || canonical !== encoded.replace(/=+$/, ''))
    return {
      ok: false,
      message: `${name} holds a webhook secret whose part after "${SECRET_PREFIX}" is not base64: copy it again from Recall's dashboard.`,
    }
  return {ok: true, key: Buffer.from(encoded, 'base64')}
}

export type WebhookRejection =
  'missing_headers' | 'bad_timestamp' | 'timestamp_too_old' | 'timestamp_too_new' | 'no_valid_signature'

export type WebhookVerification =
  {ok: true; id: string; timestampSeconds: number} | {ok: false; reason: WebhookRejection; message: string}

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>

export interface VerifyInput {
  /** Request headers with lower-case names (node's IncomingHttpHeaders). */
  headers: HeaderBag
  /** The body exactly as received: the signature covers its bytes. */
  body: Buffer | string
  key: Buffer
  nowMs: number
  toleranceMs?: number
}

/** `webhook-*` as Recall documents them; `svix-*` is the older spelling of the same headers. */
function header(headers: HeaderBag, name: string): string | undefined {
  for (const prefix of ['webhook-', 'svix-']) {
    const value = headers[`${prefix}${name}`]
    if (typeof value === 'string') return value
  }
  return undefined
}

/**
 * Checks a Svix-signed request (pure): the signature is base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`,
 * the header holds space-separated `v1,<sig>` entries (any one may match; other versions are skipped),
 * compared in constant time; the timestamp (Unix seconds) must be within the tolerance of now, either
 * way. The timestamp is checked before any HMAC is computed.
 */
export function verifyWebhook(input: VerifyInput): WebhookVerification {
  const id = header(input.headers, 'id')
  const timestamp = header(input.headers, 'timestamp')
  const signatures = header(input.headers, 'signature')
  if (id === undefined || id === '' || timestamp === undefined || signatures === undefined)
    return {
      ok: false,
      reason: 'missing_headers',
      message: 'the request is not signed: webhook-id, webhook-timestamp and webhook-signature are all required',
    }
  if (!/^\d{1,15}$/.test(timestamp.trim()))
    return {ok: false, reason: 'bad_timestamp', message: 'webhook-timestamp is not a Unix time in seconds'}
  const timestampSeconds = Number(timestamp.trim())
  const tolerance = input.toleranceMs ?? WEBHOOK_TOLERANCE_MS
  const skew = input.nowMs - timestampSeconds * 1000
  if (skew > tolerance)
    return {
      ok: false,
      reason: 'timestamp_too_old',
      message: `webhook-timestamp is ${Math.round(skew / 1000)} s in the past (more than ${tolerance / 1000} s)`,
    }
  if (-skew > tolerance)
    return {
      ok: false,
      reason: 'timestamp_too_new',
      message: `webhook-timestamp is ${Math.round(-skew / 1000)} s in the future (more than ${tolerance / 1000} s)`,
    }

  const expected = createHmac('sha256', input.key).update(`${id}.${timestamp.trim()}.`).update(input.body).digest()
  let matched = false
  for (const entry of signatures.trim().split(/\s+/)) {
    const comma = entry.indexOf(',')
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue
    const given = Buffer.from(entry.slice(comma + 1), 'base64')
    // Every entry is compared, even after a match: the time taken does not tell which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true
  }
  if (!matched)
    return {
      ok: false,
      reason: 'no_valid_signature',
      message: 'no v1 signature in webhook-signature matches the body with the configured secret',
    }
  return {ok: true, id, timestampSeconds}
}
