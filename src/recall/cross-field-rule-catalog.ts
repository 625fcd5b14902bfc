import type {RuleCode} from './cross-field-rules.js'

export interface RuleSummary {
  severity: 'error' | 'warning'
  /** Every field the rule reads, as dotted paths without list indexes (`realtime_endpoints.events`). */
  fields: readonly string[]
  /** The rule in one sentence, for `recallctl explain`. */
  summary: string
}

/**
 * What each rule of cross-field-rules.ts involves, for `recallctl explain`. Keyed by RuleCode, so a new
 * rule cannot be added without its entry (test/onboarding checks the fields against real violations).
 */
export const CROSS_FIELD_RULES: Readonly<Record<RuleCode, RuleSummary>> = {
  separate_video_needs_gallery_view_v2: {
    severity: 'error',
    fields: ['video_separate_mp4', 'video_separate_png', 'video_mixed_layout'],
    summary: 'video_separate_mp4 and video_separate_png need video_mixed_layout: gallery_view_v2.',
  },
  rtmp_needs_video_mixed_flv: {
    severity: 'error',
    fields: ['realtime_endpoints', 'realtime_endpoints.type', 'video_mixed_flv'],
    summary: 'An rtmp real-time endpoint needs video_mixed_flv on.',
  },
  rtmp_events_exactly_video_mixed_flv_data: {
    severity: 'error',
    fields: ['realtime_endpoints.type', 'realtime_endpoints.events'],
    summary: 'An rtmp real-time endpoint subscribes to exactly [video_mixed_flv.data].',
  },
  transcript_event_needs_transcript: {
    severity: 'error',
    fields: ['realtime_endpoints.events', 'transcript'],
    summary: 'A transcript.* real-time event needs transcript on (not null).',
  },
  low_latency_needs_language_en: {
    severity: 'error',
    fields: ['transcript.provider.recallai_streaming.mode', 'transcript.provider.recallai_streaming.language_code'],
    summary: 'recallai_streaming mode: prioritize_low_latency needs language_code: en.',
  },
  artifact_event_needs_artifact: {
    severity: 'warning',
    fields: [
      'realtime_endpoints.events',
      'audio_mixed_raw',
      'audio_separate_raw',
      'video_separate_png',
      'video_separate_h264',
      'video_mixed_flv',
    ],
    summary: 'An <artifact>.data real-time event needs that artifact on (a warning: Recall does not document it).',
  },
  realtime_endpoint_on_localhost: {
    severity: 'error',
    fields: ['realtime_endpoints.url'],
    summary: "A real-time endpoint URL must not be on localhost: Recall's firewall answers 403.",
  },
}
