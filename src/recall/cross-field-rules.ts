/**
 * Rules between fields of a start_recording body (NOTES.md "Rules between fields"), which a schema of
 * each field alone cannot express. They run on the resolved (merged) body; a field the body leaves out
 * counts as its endpoint default, because that is what Recall will apply.
 */
import {effectiveValue} from './body-defaults.js'
import {ARTIFACT_FIELDS, type ArtifactField, type RealtimeEndpoint, type StartRecordingBody} from './body-schema.js'

export type RulePath = Array<string | number>

export interface RuleViolation {
  /** Stable, for machines and tests. */
  code: RuleCode
  severity: 'error' | 'warning'
  /** A sentence for a person: the values involved and what to write instead. No secrets: URLs show only their origin. */
  message: string
  /**
   * `paths[0]` is the value that is wrong, the others the values it conflicts with. A path may name a
   * key the body does not contain (the endpoint default applies there): point at its nearest present
   * ancestor, or at the body itself.
   */
  paths: RulePath[]
}

export const RULE_CODES = [
  'separate_video_needs_gallery_view_v2',
  'rtmp_needs_video_mixed_flv',
  'rtmp_events_exactly_video_mixed_flv_data',
  'transcript_event_needs_transcript',
  'low_latency_needs_language_en',
  'artifact_event_needs_artifact',
  'realtime_endpoint_on_localhost',
] as const
export type RuleCode = (typeof RULE_CODES)[number]

/** All violations of the body, in a stable order (rule by rule, then by position in the body). */
export function checkCrossFieldRules(body: StartRecordingBody): RuleViolation[] {
  return [
    ...separateVideoNeedsGalleryViewV2(body),
    ...rtmpEndpointRules(body),
    ...transcriptEventsNeedTranscript(body),
    ...lowLatencyNeedsEnglish(body),
    ...artifactEventsNeedArtifact(body),
    ...noLocalhostEndpoints(body),
  ]
}

const GALLERY_VIEW_V2 = 'gallery_view_v2'
const SEPARATE_VIDEO_NEEDING_GALLERY_V2 = ['video_separate_mp4', 'video_separate_png'] as const

function separateVideoNeedsGalleryViewV2(body: StartRecordingBody): RuleViolation[] {
  const layout = effectiveValue(body, 'video_mixed_layout')
  if (layout === GALLERY_VIEW_V2) return []
  return SEPARATE_VIDEO_NEEDING_GALLERY_V2.filter((field) => effectiveValue(body, field) !== null).map((field) => ({
    code: 'separate_video_needs_gallery_view_v2',
    severity: 'error',
    message:
      `${field} needs video_mixed_layout: ${GALLERY_VIEW_V2} (it is ${layout}${defaultNote(body, 'video_mixed_layout')}); ` +
      `set video_mixed_layout: ${GALLERY_VIEW_V2}, or turn ${field} off with null`,
    paths: [[field], ['video_mixed_layout']],
  }))
}

const FLV_EVENT = 'video_mixed_flv.data'

function rtmpEndpointRules(body: StartRecordingBody): RuleViolation[] {
  const violations: RuleViolation[] = []
  const flvOn = effectiveValue(body, 'video_mixed_flv') !== null
  endpoints(body).forEach((endpoint, index) => {
    if (endpoint.type !== 'rtmp') return
    const where = `realtime_endpoints[${index}] (rtmp)`
    if (!flvOn) {
      violations.push({
        code: 'rtmp_needs_video_mixed_flv',
        severity: 'error',
        message:
          `${where} needs video_mixed_flv on (it is null${defaultNote(body, 'video_mixed_flv')}); ` +
          'set video_mixed_flv: {}, or remove the rtmp endpoint',
        paths: [['realtime_endpoints', index], ['video_mixed_flv']],
      })
    }
    const events: readonly string[] = endpoint.events
    if (events.length !== 1 || events[0] !== FLV_EVENT) {
      violations.push({
        code: 'rtmp_events_exactly_video_mixed_flv_data',
        severity: 'error',
        message: `${where} events must be exactly [${FLV_EVENT}] (they are ${listOf(events)}); write events: [${FLV_EVENT}]`,
        paths: [['realtime_endpoints', index, 'events']],
      })
    }
  })
  return violations
}

function transcriptEventsNeedTranscript(body: StartRecordingBody): RuleViolation[] {
  if (effectiveValue(body, 'transcript') !== null) return []
  return eventsOf(body)
    .filter(({event}) => event.startsWith('transcript.'))
    .map(({index, eventIndex, event}) => ({
      code: 'transcript_event_needs_transcript',
      severity: 'error',
      message:
        `realtime_endpoints[${index}] subscribes to ${event}, which needs a transcript (transcript is null${defaultNote(body, 'transcript')}); ` +
        `add transcript: {provider: {recallai_streaming: {}}} (or another provider), or remove ${event}`,
      paths: [['realtime_endpoints', index, 'events', eventIndex], ['transcript']],
    }))
}

function lowLatencyNeedsEnglish(body: StartRecordingBody): RuleViolation[] {
  const options = effectiveValue(body, 'transcript')?.provider.recallai_streaming
  if (options?.mode !== 'prioritize_low_latency') return []
  const language = options.language_code
  if (language === 'en') return []
  const base = ['transcript', 'provider', 'recallai_streaming']
  return [
    {
      code: 'low_latency_needs_language_en',
      severity: 'error',
      message:
        `recallai_streaming mode: prioritize_low_latency needs language_code: en (it is ${language ?? 'auto, the default'}); ` +
        'set language_code: en, or use mode: prioritize_accuracy',
      paths: [
        [...base, 'language_code'],
        [...base, 'mode'],
      ],
    },
  ]
}

/** `<artifact>.data` names the artifact whose data it streams; NOTES.md marks this rule a guess, hence a warning. */
function artifactEventsNeedArtifact(body: StartRecordingBody): RuleViolation[] {
  const artifacts: readonly string[] = ARTIFACT_FIELDS
  return eventsOf(body).flatMap(({endpoint, index, eventIndex, event}) => {
    const artifact = event.endsWith('.data') ? event.slice(0, -'.data'.length) : undefined
    if (artifact === undefined || !artifacts.includes(artifact)) return []
    // An rtmp endpoint without video_mixed_flv is already an error of its own.
    if (endpoint.type === 'rtmp' && artifact === 'video_mixed_flv') return []
    const field = artifact as ArtifactField
    if (effectiveValue(body, field) !== null) return []
    return [
      {
        code: 'artifact_event_needs_artifact' as const,
        severity: 'warning' as const,
        message:
          `realtime_endpoints[${index}] subscribes to ${event}, but ${field} is off (null${defaultNote(body, field)}), ` +
          `so there is probably no data to stream; set ${field}: {}, or remove ${event}`,
        paths: [['realtime_endpoints', index, 'events', eventIndex], [field]],
      },
    ]
  })
}

function noLocalhostEndpoints(body: StartRecordingBody): RuleViolation[] {
  return endpoints(body).flatMap((endpoint, index) => {
    if (!('url' in endpoint)) return []
    const url = parseUrl(endpoint.url)
    if (url === undefined || !isLoopbackHost(url.hostname)) return []
    return [
      {
        code: 'realtime_endpoint_on_localhost' as const,
        severity: 'error' as const,
        // Origin only: the path and query of a real-time URL often carry a token.
        message:
          `realtime_endpoints[${index}].url is on ${url.protocol}//${url.host}, which Recall cannot reach ` +
          '(its firewall answers 403 request_blocked); use a public URL (for local development, a tunnel)',
        paths: [['realtime_endpoints', index, 'url']],
      },
    ]
  })
}

/** localhost and *.localhost (RFC 6761), 127.0.0.0/8, ::1, and 127.x written as IPv4-mapped IPv6. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (/^127(\.\d{1,3}){3}$/.test(host) || host === '::1') return true
  // The URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
  return /^::ffff:(127(\.\d{1,3}){3}|7f[0-9a-f]{2}:[0-9a-f]{1,4})$/.test(host)
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

function endpoints(body: StartRecordingBody): readonly RealtimeEndpoint[] {
  return effectiveValue(body, 'realtime_endpoints')
}

function eventsOf(body: StartRecordingBody) {
  return endpoints(body).flatMap((endpoint, index) =>
    (endpoint.events as readonly string[]).map((event, eventIndex) => ({endpoint, index, eventIndex, event})),
  )
}

function defaultNote(body: StartRecordingBody, field: keyof StartRecordingBody): string {
  return body[field] === undefined ? ', the default when absent' : ''
}

function listOf(values: readonly string[]): string {
  return `[${values.join(', ')}]`
}
