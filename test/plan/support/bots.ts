import {parseBot} from '../../../src/recall/bot-schema.js'
import {snapshotOf, type BotSnapshot} from '../../../src/refresh/snapshot.js'

/** A recording as Recall lists it on a bot, reduced to what a test chooses. */
export interface RecordingSpec {
  id: string
  status: 'processing' | 'paused' | 'done' | 'failed' | 'deleted'
  metadata?: Record<string, string | null>
  /** Default: one minute apart, in list order. */
  created_at?: string
}

export interface BotSpec {
  id: string
  status: string
  recordings?: RecordingSpec[]
  recording_config?: Record<string, unknown> | null
  metadata?: Record<string, string | null>
}

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 25, 12, minute, 0)).toISOString()

/** The bot as GET /bot/{id}/ returns it: a history of statuses (the last is current), recordings oldest first. */
export function rawBot(spec: BotSpec): Record<string, unknown> {
  return {
    id: spec.id,
    bot_name: 'Meeting Notetaker',
    meeting_url: {platform: 'zoom', meeting_id: '123'},
    metadata: spec.metadata ?? {},
    recording_config: spec.recording_config ?? null,
    status_changes: [
      {code: 'joining_call', sub_code: null, message: null, created_at: at(0)},
      {code: spec.status, sub_code: null, message: null, created_at: at(1)},
    ],
    recordings: (spec.recordings ?? []).map((r, index) => ({
      id: r.id,
      created_at: r.created_at ?? at(2 + index),
      started_at: r.created_at ?? at(2 + index),
      completed_at: null,
      status: {code: r.status, sub_code: null, updated_at: at(2 + index)},
      metadata: r.metadata ?? {},
    })),
  }
}

/** What refresh makes of that bot: parsed as Recall's answer, then reduced to a snapshot. */
export function snapshot(spec: BotSpec): BotSnapshot {
  const parsed = parseBot(rawBot(spec))
  if (!parsed.ok) throw new Error(`test bot does not parse: ${parsed.problems.join('; ')}`)
  return snapshotOf(parsed.value)
}

/** Deterministic UUIDs: `uuid(7)` → `00000000-0000-4000-8000-000000000007`. */
export const uuid = (n: number, prefix = '00000000'): string => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
