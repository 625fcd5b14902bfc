import {createHash} from 'node:crypto'
import {canonicalJson} from './canonical-json.js'

/** Hex sha256 of a string's UTF-8 bytes. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/**
 * The body digest, frozen as version 1: `v1:` + the first 32 hex digits of sha256 over the canonical
 * JSON of the explicit body, without the `recallctl_` stamp keys and with `${env:NAME}` as written.
 * A later algorithm gets `v2:`; readers keep accepting `v1:`.
 */
export function bodyDigest(body: Record<string, unknown>): string {
  return `v1:${sha256Hex(canonicalJson(withoutStamp(body))).slice(0, 32)}`
}

/** Digest of any plain value, same scheme (used for the plan digest). */
export const valueDigest = (value: unknown): string => `v1:${sha256Hex(canonicalJson(value)).slice(0, 32)}`

export const STAMP_PREFIX = 'recallctl_'
export const STAMP_DIGEST_KEY = 'recallctl_digest'
export const STAMP_PROFILE_KEY = 'recallctl_profile'

function withoutStamp(body: Record<string, unknown>): Record<string, unknown> {
  const metadata = body['metadata']
  if (metadata === null || typeof metadata !== 'object') return body
  const kept = Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith(STAMP_PREFIX)))
  return {...body, metadata: kept}
}
