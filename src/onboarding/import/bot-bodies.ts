import {IN_CALL_STATUSES} from '../../config/bot-status.js'
import {withEndpointDefaults} from '../../recall/body-defaults.js'
import {startRecordingBodySchema, type CompleteStartRecordingBody} from '../../recall/body-schema.js'
import type {Bot} from '../../recall/bot-schema.js'
import {checkCrossFieldRules} from '../../recall/cross-field-rules.js'
import {snapshotOf} from '../../refresh/snapshot.js'
import {canonicalJson} from '../../shared/canonical-json.js'
import {STAMP_PREFIX} from '../../shared/digest.js'
import {collectEnvRefs} from '../../shared/env-refs.js'

/** A bot whose create-time config can become a profile: the complete body, real values (secrets included). */
export interface ImportableBot {
  bot_id: string
  status: string | null
  metadata: Record<string, string | null>
  body: CompleteStartRecordingBody
  /** What plan will make of this bot once the file is in place: adopted, no change yet, or a change and why. */
  outlook: {kind: 'adopted' | 'no_change' | 'change'; reason: string}
}

export type BotImport = {ok: true; bot: ImportableBot} | {ok: false; bot_id: string; reason: string}

/**
 * A bot's create-time `recording_config`, completed with the endpoint defaults (absent = default,
 * present null = off), as adoption reads it (pure). A config this version cannot send as a profile is
 * refused with a reason that names paths, never values.
 */
export function importBot(bot: Bot): BotImport {
  const bot_id = bot.id.toLowerCase()
  const refuse = (reason: string): BotImport => ({ok: false, bot_id, reason})
  if (bot.recording_config == null)
    return refuse('Recall returned no create-time recording_config for it, so there is nothing to import')
  const parsed = startRecordingBodySchema.safeParse(bot.recording_config)
  if (!parsed.success) {
    const paths = [
      ...new Set(parsed.error.issues.map((issue) => (issue.path.length > 0 ? issue.path.join('.') : '(the config)'))),
    ]
    return refuse(
      `its create-time recording_config is not a start_recording body this version accepts (at ${paths.slice(0, 5).join(', ')})`,
    )
  }
  if (collectEnvRefs(parsed.data).size > 0)
    return refuse(
      'its create-time recording_config holds text written like ${env:NAME}, which a profile would read as a reference',
    )
  const body = withEndpointDefaults(parsed.data)
  body.metadata = withoutNullValues(body.metadata)
  const reserved = Object.keys(body.metadata).filter((key) => key.startsWith(STAMP_PREFIX))
  if (reserved.length > 0)
    return refuse(`its recording metadata uses the reserved prefix ${STAMP_PREFIX} (${reserved.join(', ')})`)
  const broken = checkCrossFieldRules(body).filter((rule) => rule.severity === 'error')
  if (broken.length > 0)
    return refuse(
      `its create-time recording_config breaks a rule between fields (${[...new Set(broken.map((rule) => rule.code))].join(', ')})`,
    )
  const snapshot = snapshotOf(bot)
  return {
    ok: true,
    bot: {
      bot_id,
      status: snapshot.status,
      metadata: snapshot.metadata,
      body,
      outlook: outlookOf(snapshot, canonicalJson(withEndpointDefaults(parsed.data)) === canonicalJson(body)),
    },
  }
}

function outlookOf(snapshot: ReturnType<typeof snapshotOf>, bodyUnchanged: boolean): ImportableBot['outlook'] {
  if (snapshot.status === null || !IN_CALL_STATUSES.includes(snapshot.status))
    return {
      kind: 'no_change',
      reason: `bot is ${snapshot.status ?? 'without a status'}: not in the call, so plan makes no call for it now`,
    }
  const active = snapshot.active
  if (!active) return {kind: 'change', reason: 'bot is in the call and not recording: plan will start a recording'}
  if (active.digest !== null)
    return {
      kind: 'change',
      reason: `its running recording was started by recallctl (digest ${active.digest}), not from its create-time config: plan restarts it unless that digest is the imported body's`,
    }
  if (snapshot.recordings_count !== 1)
    return {
      kind: 'change',
      reason: `it has ${snapshot.recordings_count} recordings (start_recording was called since it joined), so the running one cannot be matched to its create-time config: plan will restart it`,
    }
  if (!bodyUnchanged)
    return {
      kind: 'change',
      reason: 'its create-time metadata holds null values, which a profile cannot express: plan will restart it',
    }
  return {kind: 'adopted', reason: 'recording its create-time config: plan adopts it'}
}

function withoutNullValues(metadata: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).filter((entry): entry is [string, string] => entry[1] !== null))
}
