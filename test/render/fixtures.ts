import type {Diagnostic} from '../../src/shared/diagnostics.js'
import {fieldDiff} from '../../src/diff/field-diff.js'
import {ACTIONS, type Action, type ObservedState, type Plan, type PlannedChange, type Summary} from '../../src/plan/types.js'

/** Hand-built plans for the renderers. Bodies are already redacted, as the diff stage hands them over. */

export const salesBody = (): Record<string, unknown> => ({
  transcript: {provider: {recallai_streaming: {language_code: 'en', mode: 'prioritize_accuracy'}}},
  realtime_endpoints: [{type: 'webhook', url: 'https://hooks.example.com/recall?token=<redacted>', events: ['transcript.data']}],
  retention: {type: 'timed', hours: 720},
  video_mixed_layout: 'speaker_view',
  video_mixed_mp4: {},
  participant_events: {},
  meeting_metadata: {},
  start_recording_on: 'participant_join',
  include_bot_in_recording: {audio: false},
  metadata: {team: 'sales', deal: 'D-1042', api_key: '<redacted>'},
})

export const baseBody = (): Record<string, unknown> => ({
  transcript: null,
  realtime_endpoints: [],
  retention: {type: 'timed', hours: 720},
  video_mixed_layout: 'speaker_view',
  video_mixed_mp4: {},
  participant_events: {},
  meeting_metadata: {},
  start_recording_on: 'participant_join',
  include_bot_in_recording: {audio: false},
  metadata: {team: 'support'},
})

/** The diff stage's field diff of two (already redacted) bodies. */
export const diffOf = (before: Record<string, unknown>, after: Record<string, unknown>) => fieldDiff(before, after, before, after)

const observed = (status: string | null, extra: Partial<ObservedState> = {}): ObservedState => ({
  status,
  newest_recording_id: null,
  active_recording_id: null,
  active_digest: null,
  active_profile: null,
  ...extra,
})

const SALES_DIGEST = 'v1:5a1e5c0ffee0000000000000000000aa'
const BASE_DIGEST = 'v1:ba5eba5eba5e00000000000000000000'

export function change(bot_id: string, action: Action, overrides: Partial<PlannedChange> = {}): PlannedChange {
  return {
    bot_id,
    profile: 'sales-call',
    assignment: 'recordings/sales.yaml:12',
    action,
    reason: 'bot is in the call and not recording',
    adopted: false,
    before: observed('in_call_not_recording'),
    after: {digest: SALES_DIGEST, body: salesBody()},
    fields_changed: [],
    ...overrides,
  }
}

export function summarize(changes: readonly PlannedChange[]): Summary {
  const summary = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Summary
  for (const c of changes) summary[c.action]++
  return summary
}

export function planOf(changes: PlannedChange[], extra: Partial<Plan> = {}): Plan {
  return {
    format_version: 1,
    tool_version: '0.1.0',
    created_at: '2026-11-25T12:00:00Z',
    plan_digest: 'v1:d1ge57d1ge57d1ge57d1ge57d1ge5700',
    workspace: {base_url: 'https://us-east-1.recall.ai'},
    summary: summarize(changes),
    changes,
    drift: [],
    diagnostics: [],
    ...extra,
  }
}

const previousSalesBody = (): Record<string, unknown> => ({
  ...salesBody(),
  transcript: {provider: {recallai_streaming: {language_code: 'de', mode: 'prioritize_accuracy'}}},
  retention: {type: 'forever'},
  video_mixed_layout: 'gallery_view_v2',
})

export const mixedDiagnostics = (): Diagnostic[] => [
  {
    severity: 'warning',
    code: 'retention_unset',
    message: 'Profile "base" leaves retention unset: the endpoint keeps recordings 168 hours. Set retention explicitly.',
    file: 'recordings/base.yaml',
    line: 2,
    column: 3,
  },
  {
    severity: 'error',
    code: 'bot_missing',
    message:
      'Bot 0000dead-0000-4000-8000-000000000000 does not exist in this workspace (404). Remove it from the assignment or pass --ignore-missing.',
    file: 'recordings/sales.yaml',
    line: 14,
    column: 7,
    related: [{file: 'recordings/sales.yaml', line: 12, column: 5, message: 'assigned here to profile sales-call'}],
  },
  {
    severity: 'warning',
    code: 'unknown_status',
    message: 'Bot 7e57-unknown reports status "teleporting", which this recallctl does not know.',
  },
]

/** Every action, adopted noop, drift, diagnostics, restarts with and without the previous body. */
export function mixedPlan(): Plan {
  const changes: PlannedChange[] = [
    change('6e1f5adb-3340-4f50-900d-9aa2cdc53d6c', 'start'),
    change('77c0ffee-1111-4222-8333-444455556666', 'start', {assignment: 'recordings/sales.yaml:13'}),
    change('11111111-aaaa-4bbb-8ccc-dddddddddddd', 'start', {
      profile: 'base',
      assignment: 'recordings/support.yaml:4',
      after: {digest: BASE_DIGEST, body: baseBody()},
    }),
    change('22222222-aaaa-4bbb-8ccc-dddddddddddd', 'restart', {
      reason: 'the running recording carries digest v1:0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld00, not the desired one',
      before: observed('in_call_recording', {
        newest_recording_id: 'rec-222',
        active_recording_id: 'rec-222',
        active_digest: 'v1:0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld00',
        active_profile: 'sales-call',
      }),
      fields_changed: ['transcript', 'retention', 'video_mixed_layout'],
      previous_body: previousSalesBody(),
      field_diff: diffOf(previousSalesBody(), salesBody()),
    }),
    change('33333333-aaaa-4bbb-8ccc-dddddddddddd', 'restart', {
      reason: 'the running recording was not started by recallctl and does not match the profile',
      before: observed('in_call_recording', {newest_recording_id: 'rec-333', active_recording_id: 'rec-333'}),
      previous_body: null,
    }),
    change('44444444-aaaa-4bbb-8ccc-dddddddddddd', 'noop', {
      reason: 'the running recording carries the desired digest',
      before: observed('in_call_recording', {
        newest_recording_id: 'rec-444',
        active_recording_id: 'rec-444',
        active_digest: SALES_DIGEST,
        active_profile: 'sales-call',
      }),
    }),
    change('55555555-aaaa-4bbb-8ccc-dddddddddddd', 'noop', {
      reason: 'the recording the bot started at join time matches the profile',
      adopted: true,
      before: observed('in_call_recording', {newest_recording_id: 'rec-555', active_recording_id: 'rec-555'}),
    }),
    change('66666666-aaaa-4bbb-8ccc-dddddddddddd', 'pending', {
      reason: 'bot is in the waiting room',
      before: observed('in_waiting_room'),
    }),
    change('77777777-aaaa-4bbb-8ccc-dddddddddddd', 'completed', {
      reason: 'bot has left the call (done)',
      before: observed('done', {newest_recording_id: 'rec-777'}),
    }),
    change('88888888-aaaa-4bbb-8ccc-dddddddddddd', 'blocked', {
      reason: 'the host denied recording permission',
      before: observed('recording_permission_denied'),
    }),
    change('0000dead-0000-4000-8000-000000000000', 'missing', {
      assignment: 'recordings/sales.yaml:14',
      reason: 'bot not found in this workspace (404)',
      before: observed(null),
    }),
    change('7e57-unknown', 'unknown', {
      reason: 'status "teleporting" is not known to this version',
      before: observed('teleporting'),
    }),
  ]
  return planOf(changes, {
    drift: [
      {bot_id: '33333333-aaaa-4bbb-8ccc-dddddddddddd', recording_id: 'rec-333', reason: 'recording started outside recallctl'},
    ],
    diagnostics: mixedDiagnostics(),
  })
}

/** Nothing to start or restart: unchanged, pending and completed bots only. */
export function noChangesPlan(): Plan {
  const p = mixedPlan()
  return planOf(p.changes.filter((c) => ['noop', 'pending', 'completed'].includes(c.action)))
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')
export const botId = (n: number): string => `${hex(n, 8)}-0000-4000-8000-${hex(n, 12)}`

/** `total` bots: `restarts` restarts (with previous bodies), the rest starts. */
export function largePlan(total: number, restarts: number, rest: Action = 'start'): Plan {
  const changes: PlannedChange[] = []
  for (let i = 0; i < total; i++) {
    if (i < restarts)
      changes.push(
        change(botId(i), 'restart', {
          reason: 'the running recording carries another digest',
          fields_changed: ['retention'],
          previous_body: {...salesBody(), retention: {type: 'forever'}},
          field_diff: diffOf({...salesBody(), retention: {type: 'forever'}}, salesBody()),
          before: observed('in_call_recording', {
            newest_recording_id: `rec-${i}`,
            active_recording_id: `rec-${i}`,
            active_digest: 'v1:0ld',
          }),
        }),
      )
    else changes.push(change(botId(i), rest))
  }
  return planOf(changes)
}
