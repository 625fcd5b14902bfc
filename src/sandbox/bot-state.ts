import type {RecordingStatusCode, SandboxPlatform} from './seed.js'

/** One entry of a bot's `status_changes`. The last entry is the bot's current status. */
export interface StatusChange {
  code: string
  sub_code: string | null
  message: string
  created_at: string
}

/** How long a recording's media is kept, as the start_recording body (or its default) said. */
export type RecordingRetention = {type: 'timed'; hours: number} | {type: 'forever'} | null

export interface RecordingState {
  id: string
  created_at: string
  started_at: string | null
  completed_at: string | null
  expires_at: string | null
  status: RecordingStatusCode
  status_updated_at: string
  metadata: Record<string, string | null>
  retention: RecordingRetention
}

/** A bot as the sandbox keeps it. Plain data (JSON round-trips it), rendered into Recall's `Bot` on the way out. */
export interface BotState {
  id: string
  bot_name: string
  meeting_url: string
  platform: SandboxPlatform
  join_at: string | null
  metadata: Record<string, string | null>
  recording_config: Record<string, unknown> | null
  status_changes: StatusChange[]
  recordings: RecordingState[]
  created_at: string
}
