/**
 * The endpoint defaults as NOTES.md's table states them, written out here independently of
 * src/recall/body-defaults.ts so that tests compare the product against the notes, not against itself.
 */
export const NOTES_DEFAULTS = {
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
} as const
