import {describe, expect, test} from 'vitest'
import {knownBodies} from '../../src/app/make-plan.js'
import {buildPlan, type PlanInput} from '../../src/diff/build-plan.js'
import {diffBot, type DiffContext} from '../../src/diff/diff-bot.js'
import {ACTIONS, type Action, type ObservedState, type Plan} from '../../src/plan/types.js'
import {BOT_STATUS_CODES} from '../../src/recall/bot-schema.js'
import {missingSnapshot, type BotSnapshot} from '../../src/refresh/snapshot.js'
import type {DesiredBot} from '../../src/resolve/types.js'
import {substituteEnv} from '../../src/shared/env-refs.js'
import {snapshot, uuid, type BotSpec, type RecordingSpec} from './support/bots.js'
import {ENV, fixture, HOOK_TOKEN} from './support/project.js'

/*
 * diff over every combination of bot status × recording state × digest, as DESIGN.md's Actions table
 * and "State without a state file" describe them. The expectations below are written from the design,
 * not from the implementation's status lists.
 */

const project = fixture()
const hooked = project.profile('hooked')
const base = project.profile('base')
const ASSIGNMENT = project.assignment(2)
const UNKNOWN_DIGEST = `v1:${'f'.repeat(32)}`
const context: DiffContext = {bodiesByDigest: knownBodies(project.resolved), env: ENV}
/** What a bot created with the desired body holds, secrets substituted (Recall has the real values). */
const substituted = substituteEnv(hooked.body, ENV)

const desiredFor = (bot_id: string, over: Partial<DesiredBot> = {}): DesiredBot => ({
  bot_id,
  profile: ASSIGNMENT.profile,
  assignment: ASSIGNMENT.label,
  location: ASSIGNMENT.location,
  body: ASSIGNMENT.body,
  digest: ASSIGNMENT.digest,
  ...over,
})

const planOf = (desired: DesiredBot[], snapshots: BotSnapshot[], over: Partial<PlanInput> = {}): Plan =>
  buildPlan({
    desired,
    snapshots: new Map(snapshots.map((s) => [s.bot_id, s])),
    context,
    diagnostics: [],
    ignoreMissing: false,
    base_url: 'http://127.0.0.1:1',
    created_at: '2026-11-25T12:00:00.000Z',
    tool_version: '0.1.0',
    ...over,
  })

const zeroSummary = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>

// ---------------------------------------------------------------------------------------------
// The dimensions

/** DESIGN.md's status classes; together they must be exactly the 14 codes this version knows. */
const IN_CALL = ['in_call_not_recording', 'recording_permission_allowed', 'in_call_recording']
const NOT_JOINED = ['ready', 'joining_call', 'in_waiting_room']
const FINISHED = ['call_ended', 'done', 'fatal', 'recording_done', 'media_expired', 'analysis_done', 'analysis_failed']
const BLOCKED = ['recording_permission_denied']
const UNKNOWN_STATUS = 'in_call_teleporting'
const STATUSES = [...BOT_STATUS_CODES, UNKNOWN_STATUS]

type DigestCase = 'equal' | 'different' | 'different_known'
type RecordingState =
  | 'no_recordings'
  | 'active_processing_stamped'
  | 'active_paused_stamped'
  | 'done_only'
  | 'unstamped_only_matching_config'
  | 'unstamped_only_other_config'
  | 'unstamped_not_only'
  | 'active_after_older_done'

/** States whose recording carries recallctl's stamp: each is crossed with the three digest cases. */
const STAMPED: RecordingState[] = ['active_processing_stamped', 'active_paused_stamped', 'done_only', 'active_after_older_done']
const UNSTAMPED: RecordingState[] = [
  'no_recordings',
  'unstamped_only_matching_config',
  'unstamped_only_other_config',
  'unstamped_not_only',
]

/** The stamp recallctl leaves on a recording it started: user metadata plus the two `recallctl_` keys. */
function stampFor(digest: DigestCase): Record<string, string> {
  if (digest === 'equal')
    return {...(substituted['metadata'] as Record<string, string>), recallctl_digest: hooked.digest, recallctl_profile: 'hooked'}
  if (digest === 'different_known')
    return {...(base.body['metadata'] as Record<string, string>), recallctl_digest: base.digest, recallctl_profile: 'base'}
  return {team: 'retired-team', recallctl_digest: UNKNOWN_DIGEST, recallctl_profile: 'retired'}
}

let recordingSeq = 0
const recordingId = () => uuid(++recordingSeq, 'eeeeeeee')

function recordingsFor(state: RecordingState, digest: DigestCase): Pick<BotSpec, 'recordings' | 'recording_config'> {
  const stamped = (status: RecordingSpec['status']): RecordingSpec => ({id: recordingId(), status, metadata: stampFor(digest)})
  const unstamped = (status: RecordingSpec['status'], metadata: Record<string, string>): RecordingSpec => ({
    id: recordingId(),
    status,
    metadata,
  })
  const desiredMetadata = substituted['metadata'] as Record<string, string>
  switch (state) {
    case 'no_recordings':
      return {recordings: []}
    case 'active_processing_stamped':
      return {recordings: [stamped('processing')], recording_config: {retention: {type: 'forever'}}}
    case 'active_paused_stamped':
      return {recordings: [stamped('paused')]}
    case 'done_only':
      return {recordings: [stamped('done')]}
    case 'unstamped_only_matching_config':
      return {recordings: [unstamped('processing', desiredMetadata)], recording_config: substituted}
    case 'unstamped_only_other_config':
      return {
        recordings: [unstamped('processing', {team: 'sales'})],
        recording_config: {...substituted, retention: {type: 'forever'}, metadata: {team: 'sales'}},
      }
    case 'unstamped_not_only':
      return {
        recordings: [unstamped('done', desiredMetadata), unstamped('processing', desiredMetadata)],
        recording_config: substituted,
      }
    case 'active_after_older_done':
      return {recordings: [{id: recordingId(), status: 'done', metadata: stampFor('different')}, stamped('processing')]}
  }
}

// ---------------------------------------------------------------------------------------------
// The expectations, from DESIGN.md

interface Expected {
  action: Action
  reason: string[]
  adopted: boolean
  fields_changed: string[]
  previous_body: Record<string, unknown> | null
  drift: boolean
  diagnostics: Array<[string, string]>
  before: ObservedState
}

function expected(status: string, state: RecordingState, digest: DigestCase, recordings: readonly RecordingSpec[]): Expected {
  const inCall = IN_CALL.includes(status)
  const active = inCall ? [...recordings].reverse().find((r) => r.status === 'processing' || r.status === 'paused') : undefined
  const stampedActive = active !== undefined && STAMPED.includes(state)
  const before: ObservedState = {
    status,
    newest_recording_id: recordings.at(-1)?.id ?? null,
    active_recording_id: active?.id ?? null,
    active_digest: stampedActive ? (active.metadata?.['recallctl_digest'] ?? null) : null,
    active_profile: stampedActive ? (active.metadata?.['recallctl_profile'] ?? null) : null,
  }
  const none = {
    adopted: false,
    fields_changed: [],
    previous_body: null,
    drift: false,
    diagnostics: [] as Array<[string, string]>,
    before,
  }
  if (NOT_JOINED.includes(status)) return {...none, action: 'pending', reason: [`bot is ${status}`, 'once it is in the call']}
  if (FINISHED.includes(status)) return {...none, action: 'completed', reason: [`bot is ${status}`, 'call is over']}
  if (BLOCKED.includes(status)) return {...none, action: 'blocked', reason: ['denied the bot permission to record']}
  if (!inCall)
    return {...none, action: 'unknown', reason: [`status "${status}" is not known`], diagnostics: [['warning', 'unknown_status']]}

  if (active === undefined) return {...none, action: 'start', reason: ['in the call and not recording']}
  if (state === 'unstamped_only_matching_config')
    return {...none, action: 'noop', adopted: true, reason: ['started at join', 'not restarted']}
  if (!stampedActive) {
    const metadataDiffers = state === 'unstamped_only_other_config'
    return {
      ...none,
      action: 'restart',
      reason: [`recording ${active.id} was started outside recallctl`],
      fields_changed: metadataDiffers ? ['metadata'] : [],
      drift: true,
    }
  }
  if (digest === 'equal') return {...none, action: 'noop', reason: ['carries the desired digest']}
  if (digest === 'different_known')
    return {
      ...none,
      action: 'restart',
      reason: [`started with digest ${base.digest}, profile base`, 'desired body differs'],
      // base → hooked adds a transcript and a webhook, and changes the metadata; nothing else.
      fields_changed: ['transcript', 'realtime_endpoints', 'metadata'],
      previous_body: base.body,
    }
  return {
    ...none,
    action: 'restart',
    reason: [`started with digest ${UNKNOWN_DIGEST}, profile retired`, 'no longer resolves to'],
    fields_changed: ['metadata'],
  }
}

// ---------------------------------------------------------------------------------------------

describe('the status classes', () => {
  test('DESIGN.md classifies exactly the 14 status codes this version knows', () => {
    expect([...IN_CALL, ...NOT_JOINED, ...FINISHED, ...BLOCKED].sort()).toEqual([...BOT_STATUS_CODES].sort())
    expect(BOT_STATUS_CODES).toHaveLength(14)
  })
})

const combinations: Array<[string, RecordingState, DigestCase]> = STATUSES.flatMap((status) => [
  ...STAMPED.flatMap((state) =>
    (['equal', 'different', 'different_known'] as const).map((digest): [string, RecordingState, DigestCase] => [
      status,
      state,
      digest,
    ]),
  ),
  ...UNSTAMPED.map((state): [string, RecordingState, DigestCase] => [status, state, 'equal']),
])

describe('every status × recording state × digest', () => {
  let botSeq = 0
  test.each(combinations)('%s, %s, digest %s', (status, state, digest) => {
    const botId = uuid(++botSeq, 'bbbbbbbb')
    const recordings = recordingsFor(state, digest)
    const want = expected(status, state, digest, recordings.recordings ?? [])
    const plan = planOf([desiredFor(botId)], [snapshot({id: botId, status, ...recordings})])

    expect(plan.changes).toHaveLength(1)
    const change = plan.changes[0]!
    expect(change.action).toBe(want.action)
    for (const fragment of want.reason) expect(change.reason).toContain(fragment)
    expect(change.adopted).toBe(want.adopted)
    expect(change.fields_changed).toEqual(want.fields_changed)
    expect(change.previous_body ?? null).toEqual(want.previous_body)
    expect(change.before).toEqual(want.before)
    expect(change.after.digest).toBe(ASSIGNMENT.digest)
    expect(change).toMatchObject({bot_id: botId, profile: 'hooked', assignment: 'recordings/assignments.yaml:2'})
    expect(plan.drift).toEqual(
      want.drift
        ? [{bot_id: botId, recording_id: want.before.active_recording_id, reason: 'recording started outside recallctl'}]
        : [],
    )
    expect(plan.diagnostics.map((d) => [d.severity, d.code])).toEqual(want.diagnostics)
    expect(plan.summary).toEqual({...zeroSummary, [want.action]: 1})
    // The plan carries the body with `${env:}` redacted; the value itself is never in it.
    expect(JSON.stringify(plan)).not.toContain(HOOK_TOKEN)
  })

  test('one plan over all of them: the summary counts each action, changes are sorted by profile then bot', () => {
    const desired: DesiredBot[] = []
    const snapshots: BotSnapshot[] = []
    const counts = {...zeroSummary}
    combinations.forEach(([status, state, digest], i) => {
      const botId = uuid(i + 1, 'cccccccc')
      const recordings = recordingsFor(state, digest)
      counts[expected(status, state, digest, recordings.recordings ?? []).action] += 1
      desired.push(desiredFor(botId, i % 2 === 0 ? {} : {profile: 'a-first-profile'}))
      snapshots.push(snapshot({id: botId, status, ...recordings}))
    })
    desired.push(desiredFor(uuid(9999, 'cccccccc')))
    counts.missing += 1

    const plan = planOf(desired, snapshots)
    expect(plan.summary).toEqual(counts)
    expect(plan.changes).toHaveLength(combinations.length + 1)
    const order = plan.changes.map((c) => `${c.profile} ${c.bot_id}`)
    expect(order).toEqual([...order].sort())
    expect(plan.drift.map((d) => d.bot_id)).toEqual(
      plan.changes
        .filter((c) => c.reason.includes('outside recallctl'))
        .map((c) => c.bot_id)
        .sort(),
    )
    expect(plan.diagnostics.filter((d) => d.code === 'unknown_status')).toHaveLength(counts.unknown)
    expect(plan.diagnostics.filter((d) => d.code === 'bot_missing')).toHaveLength(1)
  })
})

describe('a missing bot (404)', () => {
  const botId = uuid(1, 'dddddddd')
  const cases: Array<[string, BotSnapshot[]]> = [
    ['refresh recorded the 404', [missingSnapshot(botId)]],
    ['refresh has no snapshot for it', []],
  ]
  test.each(cases)('is missing and an error naming the bot and its assignment when %s', (_name, snapshots) => {
    const plan = planOf([desiredFor(botId)], snapshots)
    expect(plan.changes[0]).toMatchObject({action: 'missing', adopted: false, fields_changed: []})
    expect(plan.changes[0]!.reason).toContain('404')
    expect(plan.changes[0]!.before).toEqual({
      status: null,
      newest_recording_id: null,
      active_recording_id: null,
      active_digest: null,
      active_profile: null,
    })
    expect(plan.summary).toEqual({...zeroSummary, missing: 1})
    expect(plan.diagnostics).toHaveLength(1)
    expect(plan.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'bot_missing',
      file: 'recordings/assignments.yaml',
      line: 2,
    })
    expect(plan.diagnostics[0]!.message).toContain(botId)
    expect(plan.diagnostics[0]!.message).toContain('--ignore-missing')
  })

  test('is a warning with ignoreMissing', () => {
    const plan = planOf([desiredFor(botId)], [], {ignoreMissing: true})
    expect(plan.changes[0]!.action).toBe('missing')
    expect(plan.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'bot_missing']])
    expect(plan.diagnostics[0]!.message).toContain(botId)
  })
})

describe('an unknown status', () => {
  test('is a warning that names the code, and nothing is done whatever the recordings say', () => {
    const botId = uuid(1, 'dddddddd')
    const plan = planOf(
      [desiredFor(botId)],
      [snapshot({id: botId, status: 'in_call_teleporting', recordings: [{id: uuid(1), status: 'processing'}]})],
    )
    expect(plan.changes[0]!.action).toBe('unknown')
    expect(plan.diagnostics).toHaveLength(1)
    expect(plan.diagnostics[0]).toMatchObject({severity: 'warning', code: 'unknown_status'})
    expect(plan.diagnostics[0]!.message).toContain('in_call_teleporting')
    expect(plan.diagnostics[0]!.message).toContain(botId)
  })

  test('a bot whose status could not be read is unknown, says so, and adds no second diagnostic (refresh reported the read)', () => {
    const botId = uuid(2, 'dddddddd')
    const plan = planOf([desiredFor(botId)], [{...missingSnapshot(botId), found: true}])
    expect(plan.changes[0]!.action).toBe('unknown')
    expect(plan.changes[0]!.reason).toContain('could not read a status')
    expect(plan.changes[0]!.reason).not.toContain('(none)')
    expect(plan.diagnostics).toEqual([])
  })
})

describe('adoption', () => {
  const botId = uuid(3, 'dddddddd')
  const adoptable = (recording_config: Record<string, unknown>) =>
    snapshot({
      id: botId,
      status: 'in_call_recording',
      recording_config,
      recordings: [{id: uuid(30), status: 'processing', metadata: substituted['metadata'] as Record<string, string>}],
    })

  test('a create-time config that leaves defaults out matches: absent means the endpoint default', () => {
    const minimal = Object.fromEntries(
      (['transcript', 'realtime_endpoints', 'retention', 'metadata'] as const).map((key) => [key, substituted[key]]),
    )
    const result = diffBot(desiredFor(botId), adoptable(minimal), context)
    expect(result.change).toMatchObject({action: 'noop', adopted: true})
    expect(result.drift).toBeUndefined()
  })

  test('a present null where the desired body has a value does not match: null means off', () => {
    const result = diffBot(desiredFor(botId), adoptable({...substituted, video_mixed_mp4: null}), context)
    expect(result.change).toMatchObject({action: 'restart', adopted: false})
    expect(result.drift).toEqual({bot_id: botId, recording_id: uuid(30), reason: 'recording started outside recallctl'})
  })

  test('the config is compared with the secrets substituted: another secret value is drift', () => {
    const withOldToken = substituteEnv(hooked.body, {HOOK_TOKEN: 'an-older-token'})
    expect(diffBot(desiredFor(botId), adoptable(withOldToken), context).change.action).toBe('restart')
    expect(diffBot(desiredFor(botId), adoptable(hooked.body), context).change.action).toBe('restart')
  })

  test('metadata is part of the match', () => {
    const result = diffBot(desiredFor(botId), adoptable({...substituted, metadata: {team: 'sales'}}), context)
    expect(result.change.action).toBe('restart')
  })
})

describe('restarts', () => {
  test('the previous body of a known digest is redacted like the desired one', () => {
    const botId = uuid(4, 'dddddddd')
    const running = snapshot({
      id: botId,
      status: 'in_call_recording',
      recordings: [{id: uuid(40), status: 'processing', metadata: stampFor('equal')}],
    })
    const desiredBase = desiredFor(botId, {profile: 'base', body: base.body, digest: base.digest})
    const {change} = diffBot(desiredBase, running, context)
    expect(change.action).toBe('restart')
    expect(change.fields_changed).toEqual(['transcript', 'realtime_endpoints', 'metadata'])
    expect(JSON.stringify(change.previous_body)).toContain('<redacted>')
    expect(JSON.stringify(change)).not.toContain(HOOK_TOKEN)
    expect(JSON.stringify(change)).not.toContain('${env:')
  })

  test('an unknown digest whose visible metadata still matches lists no field', () => {
    const botId = uuid(5, 'dddddddd')
    const metadata = {
      ...(substituted['metadata'] as Record<string, string>),
      recallctl_digest: UNKNOWN_DIGEST,
      recallctl_profile: 'hooked',
    }
    const {change} = diffBot(
      desiredFor(botId),
      snapshot({id: botId, status: 'in_call_recording', recordings: [{id: uuid(50), status: 'processing', metadata}]}),
      context,
    )
    expect(change).toMatchObject({action: 'restart', fields_changed: [], previous_body: null})
  })
})

describe('the active recording', () => {
  test('is the newest by created_at, whatever order Recall lists them in', () => {
    const botId = uuid(6, 'dddddddd')
    const older = {
      id: uuid(60),
      status: 'processing' as const,
      metadata: stampFor('different'),
      created_at: '2026-11-25T12:00:00Z',
    }
    const newer = {id: uuid(61), status: 'paused' as const, metadata: stampFor('equal'), created_at: '2026-11-25T12:30:00Z'}
    const plan = planOf([desiredFor(botId)], [snapshot({id: botId, status: 'in_call_recording', recordings: [newer, older]})])
    expect(plan.changes[0]!.action).toBe('noop')
    expect(plan.changes[0]!.before).toMatchObject({
      newest_recording_id: uuid(61),
      active_recording_id: uuid(61),
      active_digest: hooked.digest,
    })
  })

  test('a failed or deleted newest recording is not active: the bot is started again', () => {
    const botId = uuid(7, 'dddddddd')
    for (const status of ['failed', 'deleted'] as const) {
      const plan = planOf(
        [desiredFor(botId)],
        [snapshot({id: botId, status: 'in_call_recording', recordings: [{id: uuid(70), status, metadata: stampFor('equal')}]})],
      )
      expect(plan.changes[0]!.action).toBe('start')
      expect(plan.changes[0]!.before).toMatchObject({newest_recording_id: uuid(70), active_recording_id: null})
    }
  })
})

describe('plan_digest', () => {
  const A = uuid(1, 'ffffffff')
  const B = uuid(2, 'ffffffff')
  const C = uuid(3, 'ffffffff')
  const specs = (): Record<string, BotSpec> => ({
    [A]: {
      id: A,
      status: 'in_call_recording',
      metadata: {team: 'sales'},
      recordings: [{id: uuid(100), status: 'processing', metadata: stampFor('equal')}],
    },
    [B]: {id: B, status: 'in_call_not_recording'},
    [C]: {id: C, status: 'call_ended', recordings: [{id: uuid(101), status: 'done', metadata: stampFor('equal')}]},
  })
  const digestOf = (
    change: (s: Record<string, BotSpec>) => void = () => {},
    over: Partial<PlanInput> = {},
    desired = [desiredFor(A), desiredFor(B), desiredFor(C)],
  ) => {
    const s = specs()
    change(s)
    return planOf(desired, Object.values(s).map(snapshot), over).plan_digest
  }
  const original = digestOf()

  const changes: Array<[string, (s: Record<string, BotSpec>) => void]> = [
    ['a status moves within the same action', (s) => void (s[B]!.status = 'recording_permission_allowed')],
    ['a status moves to another action', (s) => void (s[B]!.status = 'joining_call')],
    ['a finished bot gets a newer recording', (s) => s[C]!.recordings!.push({id: uuid(102), status: 'done'})],
    [
      'the active recording is replaced by one with the same stamp',
      (s) => void (s[A]!.recordings = [{id: uuid(103), status: 'processing', metadata: stampFor('equal')}]),
    ],
    [
      'the active digest changes',
      (s) => void (s[A]!.recordings = [{id: uuid(100), status: 'processing', metadata: stampFor('different_known')}]),
    ],
    [
      'the active profile stamp changes',
      (s) =>
        void (s[A]!.recordings = [
          {id: uuid(100), status: 'processing', metadata: {...stampFor('equal'), recallctl_profile: 'renamed'}},
        ]),
    ],
    ['a recording stops', (s) => void (s[A]!.recordings = [{id: uuid(100), status: 'done', metadata: stampFor('equal')}])],
  ]
  test.each(changes)('changes when %s', (_name, change) => {
    expect(digestOf(change)).not.toBe(original)
  })

  test('changes when a bot is missing', () => {
    const s = specs()
    const plan = planOf([desiredFor(A), desiredFor(B), desiredFor(C)], [snapshot(s[A]!), snapshot(s[B]!)])
    expect(plan.plan_digest).not.toBe(original)
  })

  test('changes when the desired digest changes', () => {
    expect(
      digestOf(undefined, {}, [desiredFor(A), desiredFor(B, {body: base.body, digest: base.digest}), desiredFor(C)]),
    ).not.toBe(original)
  })

  test('is a v1 digest and stable when nothing observed changes', () => {
    expect(original).toMatch(/^v1:[0-9a-f]{32}$/)
    expect(digestOf()).toBe(original)
    expect(digestOf(undefined, {created_at: '2030-01-01T00:00:00.000Z', tool_version: '9.9.9'})).toBe(original)
    expect(digestOf(undefined, {}, [desiredFor(C), desiredFor(A), desiredFor(B)])).toBe(original)
    expect(digestOf(undefined, {diagnostics: [{severity: 'warning', code: 'unused_profile', message: 'x'}]})).toBe(original)
  })

  test('is stable across facts the plan does not act on', () => {
    // The bot's own metadata, and pausing the running recording (the user's business, not drift).
    expect(digestOf((s) => void (s[A]!.metadata = {team: 'sales', note: 'renamed the meeting'}))).toBe(original)
    expect(digestOf((s) => void (s[A]!.recordings![0]!.status = 'paused'))).toBe(original)
  })
})
