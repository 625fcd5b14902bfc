/**
 * What start_recording does with a field the body leaves out. It does NOT fall back to the bot's
 * create-time config (NOTES.md): an absent field takes the endpoint's default. recallctl therefore
 * writes every field out, and uses the same table to read a bot's create-time `recording_config`
 * (absent = default, present `null` = off) when deciding whether to adopt a recording.
 */
import {BODY_FIELDS, type CompleteStartRecordingBody, type StartRecordingBody} from './body-schema.js'

/**
 * The endpoint default of each of the 19 fields (NOTES.md table; the spec agrees where it states one).
 * `metadata` has no endpoint default (NOTES: "(none)"); recallctl always sends a map (it carries the
 * `recallctl_` stamp), so the empty map is what "absent" means here.
 * `retention` has no `default` in the spec; NOTES.md gives timed 168 h, the spec's default for `hours`.
 */
export const ENDPOINT_DEFAULTS: Readonly<CompleteStartRecordingBody> = deepFreeze({
  transcript: null,
  realtime_endpoints: [],
  retention: {type: 'timed', hours: 168},
  video_mixed_layout: 'speaker_view',
  video_mixed_mp4: {},
  participant_events: {},
  meeting_metadata: {},
  video_mixed_participant_video_when_screenshare: 'overlap',
  start_recording_on: 'participant_join',
  include_bot_in_recording: {audio: false},
  metadata: {},
  audio_mixed_raw: null,
  audio_mixed_mp3: null,
  video_separate_mp4: null,
  audio_separate_raw: null,
  audio_separate_mp3: null,
  video_mixed_flv: null,
  video_separate_png: null,
  video_separate_h264: null,
})

/**
 * The body the endpoint effectively applies: every absent (or `undefined`) top-level field gets its
 * endpoint default; a present `null` stays `null` (off). Nested values are kept as given (provider
 * options belong to the provider). Returns fresh objects: never mutates its input, never shares the
 * frozen defaults, and keeps fields in BODY_FIELDS order so its JSON is stable.
 */
export function withEndpointDefaults(body: StartRecordingBody): CompleteStartRecordingBody {
  const complete: Record<string, unknown> = {}
  for (const field of BODY_FIELDS) {
    const value = body[field]
    complete[field] = structuredClone(value === undefined ? ENDPOINT_DEFAULTS[field] : value)
  }
  return complete as CompleteStartRecordingBody
}

/** The value start_recording uses for one field of a (possibly partial) body. */
export function effectiveValue<K extends keyof CompleteStartRecordingBody>(
  body: StartRecordingBody,
  field: K,
): CompleteStartRecordingBody[K] {
  const value = body[field]
  return (value === undefined ? ENDPOINT_DEFAULTS[field] : value) as CompleteStartRecordingBody[K]
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
