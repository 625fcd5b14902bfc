import type {ExplicitBody} from '../resolve/types.js'
import {STAMP_DIGEST_KEY, STAMP_PROFILE_KEY} from '../shared/digest.js'
import {substituteEnv} from '../shared/env-refs.js'

/**
 * The body actually sent: the complete resolved body with `${env:}` values substituted, and the
 * stamp (digest and profile) in the recording's metadata, which is how the next plan knows what runs.
 */
export function bodyToSend(body: ExplicitBody, digest: string, profile: string, env: Readonly<Record<string, string | undefined>>): ExplicitBody {
  const substituted = substituteEnv(body, env)
  const metadata = substituted['metadata'] !== null && typeof substituted['metadata'] === 'object' ? (substituted['metadata'] as Record<string, string>) : {}
  return {...substituted, metadata: {...metadata, [STAMP_DIGEST_KEY]: digest, [STAMP_PROFILE_KEY]: profile}}
}
