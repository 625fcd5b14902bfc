import {describe, expect, it} from 'vitest'
import {diffBot, type DiffContext} from '../../src/diff/diff-bot.js'
import {fieldDiff} from '../../src/diff/field-diff.js'
import {withEndpointDefaults} from '../../src/recall/body-defaults.js'
import type {StartRecordingBody} from '../../src/recall/body-schema.js'
import type {BotSnapshot} from '../../src/refresh/snapshot.js'
import {bodyDigest} from '../../src/shared/digest.js'
import {redactValue} from '../../src/shared/redact.js'

/** The diff stage's field diff over bodies as written, shown through the redactor (as diff-bot calls it). */
const diff = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  fieldDiff(before, after, redactValue(before), redactValue(after))

const body = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  retention: {type: 'timed', hours: 720},
  realtime_endpoints: [{type: 'webhook', url: 'https://hooks.example.com/a?token=${env:HOOK}', events: ['transcript.data']}],
  video_mixed_layout: 'speaker_view',
  transcript: null,
  metadata: {team: 'sales', api_key: 'k-live-1'},
  ...over,
})

describe('fieldDiff', () => {
  it('names a nested change by its path, and counts what it hides', () => {
    const result = diff(body(), body({retention: {type: 'timed', hours: 2160}}))
    expect(result.changes).toEqual([{path: 'retention.hours', kind: 'changed', before: 720, after: 2160}])
    // retention.type, and the four other top-level fields.
    expect(result.unchanged).toBe(5)
  })

  it('shows an added or removed array element whole, by index', () => {
    const second = {type: 'webhook', url: 'https://crm.example.com/x', events: ['participant_events.join']}
    const before = body()
    const after = body({realtime_endpoints: [...(before['realtime_endpoints'] as unknown[]), second]})
    expect(diff(before, after).changes).toEqual([{path: 'realtime_endpoints[1]', kind: 'added', after: second}])
    expect(diff(after, before).changes).toEqual([{path: 'realtime_endpoints[1]', kind: 'removed', before: second}])
  })

  it('shows a value whose type changes as one change', () => {
    const result = diff(body(), body({transcript: {provider: {deepgram_streaming: {}}}}))
    expect(result.changes).toEqual([
      {path: 'transcript', kind: 'changed', before: null, after: {provider: {deepgram_streaming: {}}}},
    ])
  })

  it('redacts secrets on both sides and says when only a hidden part differs', () => {
    const result = diff(
      body(),
      body({
        metadata: {team: 'sales', api_key: 'k-live-2'},
        realtime_endpoints: [
          {type: 'webhook', url: 'https://hooks.example.com/a?token=${env:OTHER}', events: ['transcript.data']},
        ],
      }),
    )
    expect(result.changes).toEqual([
      {
        path: 'realtime_endpoints[0].url',
        kind: 'changed',
        before: 'https://hooks.example.com/a?token=<redacted>',
        after: 'https://hooks.example.com/a?token=<redacted>',
        redacted_difference: true,
      },
      {path: 'metadata.api_key', kind: 'changed', before: '<redacted>', after: '<redacted>', redacted_difference: true},
    ])
    const text = JSON.stringify(result)
    for (const secret of ['k-live-1', 'k-live-2', 'HOOK', 'OTHER']) expect(text).not.toContain(secret)
  })

  it('quotes keys that are not identifiers', () => {
    const result = diff(body({metadata: {'cost.center': 'a'}}), body({metadata: {'cost.center': 'b'}}))
    expect(result.changes.map((c) => c.path)).toEqual(['metadata["cost.center"]'])
  })

  it('finds nothing between equal bodies written in another key order', () => {
    const a = body()
    const b = Object.fromEntries(Object.entries(body()).reverse())
    expect(diff(a, b)).toEqual({changes: [], unchanged: 5})
  })
})

describe('diffBot with a known previous body', () => {
  const complete = (over: Record<string, unknown> = {}) => withEndpointDefaults(body(over) as StartRecordingBody)
  const before = complete()
  const after = complete({retention: {type: 'timed', hours: 2160}})
  const active = {id: 'rec-1', status: 'processing', digest: bodyDigest(before), profile: 'sales', metadata: {}}
  const snapshot: BotSnapshot = {
    bot_id: 'b1',
    found: true,
    status: 'in_call_recording',
    metadata: {},
    newest_recording_id: 'rec-1',
    active,
    recordings_count: 1,
    recording_config: null,
  }
  const desired = {
    bot_id: 'b1',
    profile: 'sales',
    assignment: 'recordings/sales.yaml:3',
    location: {file: 'recordings/sales.yaml', line: 3, column: 5},
    body: after,
    digest: bodyDigest(after),
  }

  it('carries the field diff and says where the previous body was found', () => {
    const context: DiffContext = {
      bodiesByDigest: new Map([[bodyDigest(before), {profile: 'sales', body: before, source: 'origin/main'}]]),
      env: {},
    }
    const {change} = diffBot(desired, snapshot, context)
    expect(change.action).toBe('restart')
    expect(change.field_diff?.changes).toEqual([{path: 'retention.hours', kind: 'changed', before: 720, after: 2160}])
    expect(change.reason).toContain('(the config at origin/main)')
    expect(JSON.stringify(change.previous_body)).not.toContain('k-live-1')
  })

  it('has no field diff when the previous body is unknown', () => {
    const {change} = diffBot(desired, snapshot, {bodiesByDigest: new Map(), env: {}})
    expect(change.action).toBe('restart')
    expect(change.field_diff ?? null).toBeNull()
  })
})
