import type {CompleteStartRecordingBody} from '../recall/body-schema.js'
import {STAMP_DIGEST_KEY, STAMP_PROFILE_KEY} from '../shared/digest.js'
import {substituteEnv} from '../shared/env-refs.js'

/**
 * The body actually sent: the complete resolved body with `${env:}` values substituted, and the
 * stamp (digest and profile) in the recording's metadata, which is how the next plan knows what runs.
 */
export function bodyToSend(
  body: CompleteStartRecordingBody,
  digest: string,
  profile: string,
  env: Readonly<Record<string, string | undefined>>,
): CompleteStartRecordingBody {
  const substituted = substituteEnv(body, env)
  return {...substituted, metadata: {...substituted.metadata, [STAMP_DIGEST_KEY]: digest, [STAMP_PROFILE_KEY]: profile}}
}
