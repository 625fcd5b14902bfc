import {buildPlan} from '../../src/diff/build-plan.js'
import type {KnownBody} from '../../src/diff/diff-bot.js'
import type {Plan} from '../../src/plan/types.js'
import type {BotSnapshot} from '../../src/refresh/snapshot.js'
import type {DesiredBot} from '../../src/resolve/types.js'
import type {CompleteStartRecordingBody, RealtimeEndpoint} from '../../src/recall/body-schema.js'
import {bodyDigest} from '../../src/shared/digest.js'

/**
 * The 200-bot plan of issue 13, made by the diff stage itself: 140 starts sharing one body (profile
 * `onboarding`), 50 restarts of one edited profile (`sales-call`: retention raised, a second real-time
 * endpoint), 10 bots whose recordings were started outside recallctl (drift, profile `support`).
 * Bodies are as written: `${env:HOOK_TOKEN}` unsubstituted, as resolve hands them over.
 */

// Off artifacts left out as the goldens were made (a cast: the fixture is not a complete body).
const explicit = (over: Partial<CompleteStartRecordingBody>) =>
  ({
    transcript: null,
    realtime_endpoints: [],
    retention: {type: 'timed', hours: 720},
    video_mixed_layout: 'speaker_view',
    video_mixed_mp4: {},
    participant_events: {},
    meeting_metadata: {},
    start_recording_on: 'participant_join',
    include_bot_in_recording: {audio: false},
    metadata: {},
    ...over,
  }) as CompleteStartRecordingBody

const salesHook: RealtimeEndpoint = {
  type: 'webhook',
  url: 'https://hooks.example.com/recall?token=${env:HOOK_TOKEN}',
  events: ['transcript.data'],
}
const crmHook: RealtimeEndpoint = {
  type: 'webhook',
  url: 'https://crm.example.com/recall/${env:CRM_PATH_SECRET}',
  events: ['participant_events.join'],
}

export const ONBOARDING = explicit({video_mixed_layout: 'gallery_view_v2', metadata: {team: 'onboarding'}})
export const SALES_BEFORE = explicit({
  transcript: {provider: {recallai_streaming: {language_code: 'en'}}},
  realtime_endpoints: [salesHook],
  participant_events: {},
  metadata: {team: 'sales', api_key: 'k-123-not-shown'},
})
export const SALES_AFTER: CompleteStartRecordingBody = {
  ...SALES_BEFORE,
  retention: {type: 'timed', hours: 2160},
  realtime_endpoints: [salesHook, crmHook],
}
export const SUPPORT = explicit({metadata: {team: 'support'}})

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')
const id = (group: number, n: number): string => `${hex(group, 8)}-0000-4000-8000-${hex(n, 12)}`

const snapshot = (bot_id: string, active: BotSnapshot['active'], recordings: number): BotSnapshot => ({
  bot_id,
  found: true,
  status: active ? 'in_call_recording' : 'in_call_not_recording',
  metadata: {},
  newest_recording_id: active?.id ?? null,
  active,
  recordings_count: recordings,
  recording_config: null,
})

export function plan200(): Plan {
  const desired: DesiredBot[] = []
  const snapshots = new Map<string, BotSnapshot>()
  const add = (bot: DesiredBot, snap: BotSnapshot) => {
    desired.push(bot)
    snapshots.set(bot.bot_id, snap)
  }
  const digests = {
    onboarding: bodyDigest(ONBOARDING),
    before: bodyDigest(SALES_BEFORE),
    after: bodyDigest(SALES_AFTER),
    support: bodyDigest(SUPPORT),
  }
  for (let n = 0; n < 140; n++) {
    const bot_id = id(0xa, n)
    add(
      {
        bot_id,
        profile: 'onboarding',
        assignment: 'recordings/onboarding.yaml:9',
        location: {file: 'recordings/onboarding.yaml', line: 9, column: 5},
        body: ONBOARDING,
        digest: digests.onboarding,
      },
      snapshot(bot_id, null, 0),
    )
  }
  for (let n = 0; n < 50; n++) {
    const bot_id = id(0xb, n)
    const active = {
      id: `rec-b${n}`,
      status: 'processing',
      digest: digests.before,
      profile: 'sales-call',
      metadata: {team: 'sales', api_key: 'k-123-not-shown', recallctl_digest: digests.before, recallctl_profile: 'sales-call'},
    }
    add(
      {
        bot_id,
        profile: 'sales-call',
        assignment: 'recordings/sales.yaml:14',
        location: {file: 'recordings/sales.yaml', line: 14, column: 5},
        body: SALES_AFTER,
        digest: digests.after,
      },
      snapshot(bot_id, active, 1),
    )
  }
  for (let n = 0; n < 10; n++) {
    const bot_id = id(0xc, n)
    const active = {id: `rec-c${n}`, status: 'processing', digest: null, profile: null, metadata: {team: 'support'}}
    add(
      {
        bot_id,
        profile: 'support',
        assignment: 'recordings/support.yaml:6',
        location: {file: 'recordings/support.yaml', line: 6, column: 5},
        body: SUPPORT,
        digest: digests.support,
      },
      snapshot(bot_id, active, 2),
    )
  }
  // The edited profile's previous body, as `plan --compare-ref` finds it in git.
  const bodiesByDigest = new Map<string, KnownBody>([
    [digests.onboarding, {profile: 'onboarding', body: ONBOARDING}],
    [digests.after, {profile: 'sales-call', body: SALES_AFTER}],
    [digests.support, {profile: 'support', body: SUPPORT}],
    [digests.before, {profile: 'sales-call', body: SALES_BEFORE, source: 'origin/main'}],
  ])
  return buildPlan({
    desired,
    snapshots,
    context: {bodiesByDigest, env: {HOOK_TOKEN: 'hook-token-value-not-shown', CRM_PATH_SECRET: 'crm-secret-value'}},
    diagnostics: [],
    ignoreMissing: false,
    base_url: 'https://us-east-1.recall.ai',
    created_at: '2026-11-25T12:00:00.000Z',
    tool_version: '0.1.0',
  })
}
