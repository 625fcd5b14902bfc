import {randomUUID} from 'node:crypto'
import type {BotState, RecordingState} from './bot-state.js'
import {completeRecording, newRecording, retentionOf, statusMessage} from './lifecycle.js'
import {parseMeetingUrl, syntheticMeetingUrl} from './meeting-url.js'
import type {SandboxBotSeed} from './seed.js'

/** A seed that cannot become a bot; the message names the seed and what to change. */
export class SeedError extends Error {
  override name = 'SeedError'
}

/**
 * Turns a seed into a bot. Timestamps step back one second per event from `now`, so the history reads
 * in order and the newest event is `now`.
 */
export function botFromSeed(seed: SandboxBotSeed, now: number): BotState {
  const meetingUrl = seed.meeting_url ?? syntheticMeetingUrl(seed.platform ?? 'zoom', seed.id)
  const parsed = parseMeetingUrl(meetingUrl)
  if (!parsed.ok) throw new SeedError(`sandbox bot ${seed.id}: meeting_url ${meetingUrl} cannot be used: ${parsed.reason}.`)
  if (
    seed.platform !== undefined &&
    parsed.platform !== seed.platform &&
    !(seed.platform.startsWith('microsoft_teams') && parsed.platform.startsWith('microsoft_teams'))
  )
    throw new SeedError(
      `sandbox bot ${seed.id}: platform ${seed.platform} does not match meeting_url ${meetingUrl} (a ${parsed.platform} URL). Drop one of them.`,
    )

  const config = seed.recording_config ?? null
  const seededRecordings =
    seed.recordings ??
    (seed.status === 'in_call_recording'
      ? [{status: 'processing' as const, metadata: (config?.['metadata'] as Record<string, string> | undefined) ?? {}}]
      : [])
  const steps = seededRecordings.length + 1
  const at = (step: number) => new Date(now - (steps - step) * 1000).toISOString()
  const created = at(0)

  const recordings: RecordingState[] = seededRecordings.map((entry, index) => {
    const when = at(index + 1)
    const recording = newRecording(when, {...(entry.metadata ?? {})}, retentionOf(config ?? {}))
    recording.id = entry.id ?? randomUUID()
    if (entry.status === 'done') completeRecording(recording, at(index + 2 > steps ? steps : index + 2))
    else if (entry.status !== 'processing') {
      recording.status = entry.status
      recording.status_updated_at = when
      if (entry.status === 'failed' || entry.status === 'deleted') recording.completed_at = when
    }
    return recording
  })

  return {
    id: seed.id.toLowerCase(),
    bot_name: 'Meeting Notetaker',
    meeting_url: meetingUrl,
    platform: parsed.platform,
    join_at: seed.join_at ?? null,
    metadata: {...(seed.metadata ?? {})},
    recording_config: config,
    status_changes: [{code: seed.status, sub_code: null, message: statusMessage(seed.status), created_at: created}],
    recordings,
    created_at: created,
  }
}
