import type {BotState, RecordingState} from './bot-state.js'
import {hasJoined} from './lifecycle.js'
import {parseMeetingUrl, type MeetingUrlObject} from './meeting-url.js'

const EMPTY_SHORTCUTS = {video_mixed: null, transcript: null, participant_events: null, meeting_metadata: null, audio_mixed: null}

/** Parsing a URL per rendered bot dominates List Bots; the objects are never mutated, so they are shared. */
const meetingUrlCache = new Map<string, MeetingUrlObject>()

function renderMeetingUrl(bot: BotState): MeetingUrlObject {
  let object = meetingUrlCache.get(bot.meeting_url)
  if (object === undefined) {
    const parsed = parseMeetingUrl(bot.meeting_url)
    // Stored URLs were parsed when the bot was made; the fallback only guards hand-edited state files.
    object = parsed.ok ? parsed.object : {meeting_id: bot.meeting_url, platform: 'google_meet'}
    if (meetingUrlCache.size > 100_000) meetingUrlCache.clear()
    meetingUrlCache.set(bot.meeting_url, object)
  }
  return object
}

function renderRecording(recording: RecordingState) {
  return {
    id: recording.id,
    created_at: recording.created_at,
    started_at: recording.started_at,
    completed_at: recording.completed_at,
    expires_at: recording.expires_at,
    status: {code: recording.status, sub_code: null, updated_at: recording.status_updated_at},
    media_shortcuts: EMPTY_SHORTCUTS,
    metadata: recording.metadata,
  }
}

/**
 * A bot as Recall's API returns it (the spec's `Bot`): no top-level status (the last `status_changes`
 * entry is it), the meeting URL as a per-platform object, `join_at` cleared once the bot has joined.
 */
export function renderBot(bot: BotState) {
  return {
    id: bot.id,
    meeting_url: renderMeetingUrl(bot),
    bot_name: bot.bot_name,
    join_at: hasJoined(bot) ? null : bot.join_at,
    recording_config: bot.recording_config,
    status_changes: bot.status_changes,
    recordings: bot.recordings.map(renderRecording),
    output_media: null,
    automatic_video_output: null,
    automatic_audio_output: null,
    chat: null,
    automatic_leave: null,
    variant: null,
    calendar_meetings: [],
    zoom: null,
    google_meet: null,
    slack_team: null,
    breakout_room: null,
    metadata: bot.metadata,
  }
}

export type RenderedBot = ReturnType<typeof renderBot>
