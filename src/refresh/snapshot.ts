import {IN_CALL_STATUSES} from '../config/bot-status.js'
import {currentStatus, parseBot, type Bot, type BotRecording} from '../recall/bot-schema.js'
import {STAMP_DIGEST_KEY, STAMP_PROFILE_KEY} from '../shared/digest.js'

export interface ActiveRecording {
  id: string
  status: string
  /** `recallctl_digest` stamped by recallctl; null for a recording someone else started. */
  digest: string | null
  profile: string | null
  metadata: Record<string, string | null>
}

/** What refresh read about one bot: the facts diff needs, nothing else. */
export interface BotSnapshot {
  bot_id: string
  /** False when Recall answered 404: the bot does not exist in this workspace/region. */
  found: boolean
  status: string | null
  /** Bot metadata (List Bots filters on it; match selectors are checked against it). */
  metadata: Record<string, string | null>
  newest_recording_id: string | null
  active: ActiveRecording | null
  recordings_count: number
  /** The create-time recording_config as returned, for adoption. */
  recording_config: Record<string, unknown> | null
}

const ACTIVE_RECORDING_STATUSES = ['processing', 'paused']

export const missingSnapshot = (bot_id: string): BotSnapshot => ({
  bot_id,
  found: false,
  status: null,
  metadata: {},
  newest_recording_id: null,
  active: null,
  recordings_count: 0,
  recording_config: null,
})

/**
 * A bot as Recall returned it → its snapshot (pure). The current status is the last status change;
 * the active recording is the newest one that is processing or paused while the bot is in the call
 * (a paused recording is still active: pausing is the user's business, not drift).
 */
export function snapshotOf(bot: Bot): BotSnapshot {
  const status = currentStatus(bot)?.code ?? null
  const recordings = newestLast(bot.recordings ?? [])
  const newest = recordings.at(-1)
  const inCall = status !== null && IN_CALL_STATUSES.includes(status)
  const activeRecording = inCall
    ? [...recordings].reverse().find((r) => ACTIVE_RECORDING_STATUSES.includes(r.status?.code ?? ''))
    : undefined
  return {
    bot_id: bot.id.toLowerCase(),
    found: true,
    status,
    metadata: (bot.metadata ?? {}) as Record<string, string | null>,
    newest_recording_id: newest?.id ?? null,
    active: activeRecording ? activeOf(activeRecording) : null,
    recordings_count: recordings.length,
    recording_config: (bot.recording_config ?? null) as Record<string, unknown> | null,
  }
}

function activeOf(recording: BotRecording): ActiveRecording {
  const metadata = (recording.metadata ?? {}) as Record<string, string | null>
  const stamp = (key: string) => (typeof metadata[key] === 'string' ? (metadata[key] as string) : null)
  return {
    id: recording.id,
    status: recording.status?.code ?? 'processing',
    digest: stamp(STAMP_DIGEST_KEY),
    profile: stamp(STAMP_PROFILE_KEY),
    metadata,
  }
}

/** Recordings ordered oldest first by created_at; entries without a date keep Recall's order. */
function newestLast(recordings: readonly BotRecording[]): BotRecording[] {
  return recordings
    .map((recording, index) => ({recording, index, at: Date.parse(String(recording.created_at ?? ''))}))
    .sort((a, b) => (Number.isNaN(a.at) || Number.isNaN(b.at) ? a.index - b.index : a.at - b.at || a.index - b.index))
    .map((entry) => entry.recording)
}

/** A bot as Recall answered it (unknown JSON) → its snapshot, or why it is not a bot this version understands. */
export function readSnapshot(raw: unknown): {ok: true; snapshot: BotSnapshot} | {ok: false; bot_id: string; problems: string[]} {
  const parsed = parseBot(raw)
  if (parsed.ok) return {ok: true, snapshot: snapshotOf(parsed.value)}
  const id = (raw as {id?: unknown} | null)?.id
  return {ok: false, bot_id: typeof id === 'string' ? id : 'unknown', problems: parsed.problems}
}

/** The sentence for a bot Recall answered with something this version does not understand. */
export const unreadableBotMessage = (botId: string, problems: readonly string[]): string =>
  `Recall's answer for bot ${botId} is not a bot this version understands (${problems.slice(0, 3).join('; ')}): it is left alone.`
