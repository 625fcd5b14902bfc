import {describe, expect, test} from 'vitest'
import {knownBodies} from '../../src/app/make-plan.js'
import {buildPlan, planDigest, summarize} from '../../src/diff/build-plan.js'
import {claimBots, matchesSelector} from '../../src/refresh/claim.js'
import {checkSavedPlan, checkSavedPlanAgainstBots} from '../../src/execute/verify-saved-plan.js'
import type {ApplyGuards} from '../../src/execute/plan-to-calls.js'
import type {Plan} from '../../src/plan/types.js'
import {scopeOfTargets} from '../../src/refresh/scope.js'
import {missingSnapshot, type BotSnapshot} from '../../src/refresh/snapshot.js'
import type {Diagnostic} from '../../src/shared/diagnostics.js'
import {snapshot, uuid} from '../plan/support/bots.js'
import {BOT_A, BOT_B, BOT_C, ENV, fixture} from '../plan/support/project.js'

// The fixture: hooked bots [A, B] (explicit); support match (team support, in call); sales-call match (tier vip); base bots [C].
const project = fixture()
const resolved = project.resolved
const SUPPORT = uuid(0x51)
const VIP = uuid(0x52)
const STRANGER = uuid(0x53)
const context = {bodiesByDigest: knownBodies(resolved), env: ENV}
const guards: ApplyGuards = {allowRestart: false, ignoreMissing: false}

/** The bots as Recall has them: all in the call, not recording; STRANGER matches no selector. */
function world(): Map<string, BotSnapshot> {
  const bots = [
    snapshot({id: BOT_A, status: 'in_call_not_recording'}),
    snapshot({id: BOT_B, status: 'in_call_not_recording'}),
    snapshot({id: BOT_C, status: 'in_call_not_recording'}),
    snapshot({id: SUPPORT, status: 'in_call_not_recording', metadata: {team: 'support'}}),
    snapshot({id: VIP, status: 'in_call_not_recording', metadata: {tier: 'vip'}}),
    snapshot({id: STRANGER, status: 'in_call_not_recording', metadata: {team: 'marketing'}}),
  ]
  return new Map(bots.map((s) => [s.bot_id, s]))
}

/** What `plan` makes of `bots` (refresh → claim → diff, without the network). */
function planOf(bots: Map<string, BotSnapshot>, values = {targets: [] as string[], excludes: [] as string[]}): Plan {
  const {scope} = scopeOfTargets(
    resolved.profiles.map((p) => p.name),
    resolved.assignments,
    values,
  )
  const matched = new Map(
    scope.listed.map((a) => [
      a,
      [...bots.values()].filter(
        (s) => a.selector.kind === 'match' && matchesSelector(s, a.selector) && !scope.excluded(s.bot_id, a.profile),
      ),
    ]),
  )
  const claimed = claimBots(scope.assignments, matched)
  const plan = buildPlan({
    desired: claimed.desired,
    snapshots: bots,
    context,
    diagnostics: claimed.diagnostics,
    ignoreMissing: false,
    base_url: 'http://127.0.0.1:1',
    created_at: '2026-12-01T00:00:00.000Z',
    tool_version: 'test',
  })
  return values.targets.length > 0 || values.excludes.length > 0 ? {...plan, scope: values} : plan
}

/** A forger's edit: plan_digest and summary recomputed so that the file is consistent with itself. */
function forged(plan: Plan, edit: (plan: Plan) => void): Plan {
  const copy = structuredClone(plan)
  edit(copy)
  return {...copy, plan_digest: planDigest(copy.changes), summary: summarize(copy.changes)}
}

/** Both checks, as apply runs them: the second only when the first passed. */
function verify(plan: Plan, bots = world(), options: {guards?: ApplyGuards; readDiagnostics?: Diagnostic[]} = {}) {
  const first = checkSavedPlan(plan, resolved, options.guards ?? guards)
  if (first.refusals.length > 0)
    return {
      stage: 'before reads' as const,
      refusals: first.refusals,
      calls: first.calls,
      stale: new Map<string, string>(),
      alreadyApplied: new Map<string, string>(),
      readIds: first.readIds,
    }
  const second = checkSavedPlanAgainstBots(plan, resolved, {snapshots: bots, diagnostics: options.readDiagnostics ?? []}, context)
  return {
    stage: 'after reads' as const,
    refusals: second.refusals,
    calls: first.calls,
    stale: second.stale,
    alreadyApplied: second.alreadyApplied,
    readIds: first.readIds,
  }
}

const codes = (result: {refusals: Array<{code: string}>}) => result.refusals.map((r) => r.code)

describe('an untouched plan file', () => {
  test('passes both checks; its calls are its start changes, none stale; every bot of the file is read again', () => {
    const plan = planOf(world())
    expect(plan.changes.map((c) => c.bot_id).sort()).toEqual([BOT_A, BOT_B, BOT_C, SUPPORT, VIP].sort())
    const result = verify(plan, world(), {guards: {...guards, expectDigest: plan.plan_digest}})
    expect(result.refusals).toEqual([])
    expect(result.calls.map((c) => c.bot_id).sort()).toEqual([BOT_A, BOT_B, BOT_C, SUPPORT, VIP].sort())
    expect(result.stale.size).toBe(0)
    expect(result.readIds.sort()).toEqual([BOT_A, BOT_B, BOT_C, SUPPORT, VIP].sort())
  })

  test('a targeted plan passes against its own scope', () => {
    const plan = planOf(world(), {targets: ['profile:support', BOT_A], excludes: []})
    expect(plan.changes.map((c) => c.bot_id).sort()).toEqual([BOT_A, SUPPORT].sort())
    expect(verify(plan).refusals).toEqual([])
  })
})

describe('an edited plan file is refused, naming the bot and the field', () => {
  test('an action changed, plan_digest left: refused before any read, on the digest', () => {
    const plan = structuredClone(planOf(world()))
    plan.changes[0]!.action = 'noop'
    const result = verify(plan)
    expect(result.stage).toBe('before reads')
    expect(codes(result)).toContain('plan_digest_mismatch')
  })

  test("--expect-digest is compared with the digest recomputed from the changes, not with the file's claim", () => {
    const original = planOf(world())
    const plan = forged(original, (p) => (p.changes[0]!.action = 'noop'))
    const result = verify(plan, world(), {guards: {...guards, expectDigest: original.plan_digest}})
    expect(codes(result)).toEqual(['digest_mismatch'])
    expect(result.refusals[0]!.message).toContain(planDigest(plan.changes))
  })

  test('noop changed to start on an in-sync bot: the recomputed action is noop, refused after the reads', () => {
    const bots = world()
    const digestC = resolved.assignments.find((a) => a.profile === 'base')!.digest
    bots.set(
      BOT_C,
      snapshot({
        id: BOT_C,
        status: 'in_call_recording',
        recordings: [{id: 'rec-c', status: 'processing', metadata: {recallctl_digest: digestC, recallctl_profile: 'base'}}],
      }),
    )
    const original = planOf(bots)
    expect(original.changes.find((c) => c.bot_id === BOT_C)!.action).toBe('noop')
    const plan = forged(original, (p) => (p.changes.find((c) => c.bot_id === BOT_C)!.action = 'start'))
    const result = verify(plan, bots)
    expect(result.stage).toBe('after reads')
    expect(codes(result)).toEqual(['action_mismatch'])
    expect(result.refusals[0]!.message).toMatch(new RegExp(`bot ${BOT_C}: action is "start" in the file, but .*"noop"`))
  })

  test('start changed to noop is refused too: any mismatch refuses the whole file', () => {
    const plan = forged(planOf(world()), (p) => (p.changes.find((c) => c.bot_id === BOT_A)!.action = 'noop'))
    expect(codes(verify(plan))).toEqual(['action_mismatch'])
  })

  test('a copy of a match change with a bot no selector matches: refused after reading that bot', () => {
    const plan = forged(planOf(world()), (p) =>
      p.changes.push({...structuredClone(p.changes.find((c) => c.bot_id === SUPPORT)!), bot_id: STRANGER}),
    )
    const result = verify(plan)
    expect(result.readIds).toContain(STRANGER)
    expect(codes(result)).toEqual(['bot_not_claimed'])
    expect(result.refusals[0]!.message).toContain(STRANGER)
  })

  test('a bot claimed by an explicit assignment and a selector: the deleted bot_conflict is found again', () => {
    const bots = world()
    bots.set(BOT_C, snapshot({id: BOT_C, status: 'in_call_not_recording', metadata: {team: 'support'}}))
    const original = planOf(bots)
    expect(original.diagnostics.map((d) => d.code)).toEqual(['bot_conflict'])
    const plan = {...structuredClone(original), diagnostics: []}
    const result = verify(plan, bots)
    expect(codes(result)).toEqual(['bot_conflict'])
    expect(result.refusals[0]!.message).toContain(BOT_C)
  })

  test('a plan with errors stays refused when they are in the file', () => {
    const bots = world()
    bots.set(BOT_B, missingSnapshot(BOT_B))
    const plan = planOf(bots)
    expect(codes(verify(plan, bots))).toEqual(['bot_missing'])
    expect(verify(plan, bots, {guards: {...guards, ignoreMissing: true}}).refusals).toEqual([])
  })

  test('an explicitly assigned bot left out of the file, or a bot nothing assigns added: refused before any read', () => {
    const dropped = forged(planOf(world()), (p) => (p.changes = p.changes.filter((c) => c.bot_id !== BOT_B)))
    expect(verify(dropped)).toMatchObject({stage: 'before reads'})
    expect(verify(dropped).refusals.map((r) => r.bots)).toEqual([[BOT_B]])
    const explicitOnly = {...resolved, assignments: resolved.assignments.filter((a) => a.selector.kind === 'bots')}
    const plan = planOf(world())
    const added = forged(plan, (p) => (p.changes = p.changes.filter((c) => c.bot_id !== SUPPORT && c.bot_id !== VIP)))
    const result = checkSavedPlan(added, explicitOnly, guards)
    expect(result.refusals).toEqual([])
    const stranger = forged(added, (p) => p.changes.push({...structuredClone(p.changes[0]!), bot_id: STRANGER}))
    expect(checkSavedPlan(stranger, explicitOnly, guards).refusals.map((r) => r.code)).toEqual(['bot_not_assigned'])
  })

  test('profile and after.digest that are not what the config resolves to', () => {
    const plan = forged(planOf(world()), (p) => {
      const a = p.changes.find((c) => c.bot_id === BOT_A)!
      a.profile = 'support'
      a.after.digest = 'v1:00000000000000000000000000000000'
    })
    const result = verify(plan)
    expect(codes(result)).toEqual(['config_changed'])
    expect(result.refusals[0]!.message).toContain('profile is "support" in the file, but "hooked"')
    expect(result.refusals[0]!.message).toContain('after.digest is v1:00000000000000000000000000000000 in the file')
  })

  test('a duplicated change and a summary that does not count the changes', () => {
    const plan = structuredClone(planOf(world()))
    plan.changes.push(structuredClone(plan.changes[0]!))
    plan.plan_digest = planDigest(plan.changes)
    expect(codes(verify(plan)).sort()).toEqual(['duplicate_bot', 'summary_mismatch'])
  })

  test('a targeted plan whose scope was deleted, or that gained a bot outside its scope', () => {
    const targeted = planOf(world(), {targets: [BOT_A], excludes: []})
    const widened = {...structuredClone(targeted)}
    delete widened.scope
    expect(codes(verify(widened))).toEqual(['bot_not_in_file', 'bot_not_in_file'])
    const grown = forged(targeted, (p) => p.changes.push({...structuredClone(p.changes[0]!), bot_id: BOT_C}))
    expect(codes(verify(grown))).toEqual(['bot_not_assigned'])
  })

  test('a bot that cannot be read again cannot be verified', () => {
    const read: Diagnostic = {severity: 'error', code: 'bot_read_failed', message: `Recall answered 500 for bot ${BOT_A}.`}
    expect(codes(verify(planOf(world()), world(), {readDiagnostics: [read]}))).toEqual(['bot_read_failed'])
  })

  test('many edited bots: ten are named, the rest counted', () => {
    const many = world()
    const ids = Array.from({length: 25}, (_, i) => uuid(0x100 + i))
    for (const id of ids) many.set(id, snapshot({id, status: 'in_call_not_recording', metadata: {team: 'support'}}))
    const plan = forged(planOf(many), (p) => p.changes.filter((c) => ids.includes(c.bot_id)).forEach((c) => (c.action = 'noop')))
    const result = verify(plan, many)
    expect(result.refusals).toHaveLength(11)
    expect(result.refusals.at(-1)!.message).toContain('15 more')
    expect(result.refusals.flatMap((r) => r.bots).sort()).toEqual([...ids].sort())
  })
})

describe('a bot that merely moved since the plan is stale, not a refusal', () => {
  test('left the call: its start is skipped as stale with the reason', () => {
    const plan = planOf(world())
    const bots = world()
    bots.set(BOT_A, snapshot({id: BOT_A, status: 'call_ended'}))
    const result = verify(plan, bots)
    expect(result.refusals).toEqual([])
    expect([...result.stale.keys()]).toEqual([BOT_A])
    expect(result.stale.get(BOT_A)).toMatch(/call_ended since the plan was made/)
  })

  test('no longer matched by its selector because it moved: stale', () => {
    const plan = planOf(world())
    const bots = world()
    bots.set(SUPPORT, snapshot({id: SUPPORT, status: 'done', metadata: {team: 'support'}}))
    expect(verify(plan, bots)).toMatchObject({refusals: []})
    expect([...verify(plan, bots).stale.keys()]).toEqual([SUPPORT])
  })

  test('started since the plan with the planned body (an earlier run of this apply): already applied, not stale', () => {
    const plan = planOf(world())
    const change = plan.changes.find((c) => c.bot_id === BOT_A)!
    expect(change.action).toBe('start')
    const bots = world()
    const stamp = {recallctl_digest: change.after.digest, recallctl_profile: change.profile}
    bots.set(
      BOT_A,
      snapshot({id: BOT_A, status: 'in_call_recording', recordings: [{id: 'rec-1', status: 'processing', metadata: stamp}]}),
    )
    const result = verify(plan, bots)
    expect(result.refusals).toEqual([])
    expect([...result.stale.keys()]).toEqual([])
    expect(result.alreadyApplied.get(BOT_A)).toMatch(/already records the planned body/)
  })

  test('moved but still needing the same call (a recording came and went): stale, never called on the old facts', () => {
    const plan = planOf(world())
    expect(plan.changes.find((c) => c.bot_id === BOT_A)!.action).toBe('start')
    const bots = world()
    bots.set(BOT_A, snapshot({id: BOT_A, status: 'in_call_not_recording', recordings: [{id: 'rec-9', status: 'done'}]}))
    const result = verify(plan, bots)
    expect(result.refusals).toEqual([])
    expect(result.stale.get(BOT_A)).toMatch(/newest recording changed .*its action is now start/)
  })

  test('started since the plan with another body: stale, not already applied', () => {
    const plan = planOf(world())
    const bots = world()
    const stamp = {recallctl_digest: 'v1:ffffffffffffffffffffffffffffffff', recallctl_profile: 'other'}
    bots.set(
      BOT_A,
      snapshot({id: BOT_A, status: 'in_call_recording', recordings: [{id: 'rec-1', status: 'processing', metadata: stamp}]}),
    )
    const result = verify(plan, bots, {guards: {...guards, allowRestart: true}})
    expect(result.alreadyApplied.size).toBe(0)
    expect([...result.stale.keys()]).toEqual([BOT_A])
  })

  test('its recording was stopped (unstamped, same newest id): the planned restart is stale, not made', () => {
    const recording = {id: 'rec-x', status: 'processing' as const, metadata: {by: 'someone'}}
    const before = world()
    before.set(BOT_A, snapshot({id: BOT_A, status: 'in_call_recording', recordings: [recording]}))
    const plan = planOf(before)
    expect(plan.changes.find((c) => c.bot_id === BOT_A)!.action).toBe('restart')
    const after = world()
    after.set(BOT_A, snapshot({id: BOT_A, status: 'in_call_not_recording', recordings: [{...recording, status: 'done'}]}))
    const result = verify(plan, after, {guards: {...guards, allowRestart: true}})
    expect(result.refusals).toEqual([])
    expect(result.stale.get(BOT_A)).toMatch(/since the plan was made/)
  })
})
