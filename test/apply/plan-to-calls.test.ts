import {describe, expect, it} from 'vitest'
import {planDigest, summarize} from '../../src/diff/build-plan.js'
import {callsFromPlan, type ApplyGuards} from '../../src/execute/plan-to-calls.js'
import type {Action, ObservedState, Plan, PlannedChange} from '../../src/plan/types.js'
import type {ResolvedProject} from '../../src/resolve/types.js'
import type {Diagnostic} from '../../src/shared/diagnostics.js'
import {runProject, withConfig, yaml} from '../foundation/support/project.js'

const BOT_A = '11111111-1111-4111-8111-111111111111'
const BOT_B = '22222222-2222-4222-8222-222222222222'
const BOT_C = '33333333-3333-4333-8333-333333333333'
const MATCHED = '44444444-4444-4444-8444-444444444444'

const recordings = (hours = 24, webhookUrl = 'https://hooks.example.com/r?token=${env:HOOK_TOKEN}') =>
  yaml(
    'profiles:',
    '  sales:',
    `    retention: { type: timed, hours: ${hours} }`,
    '    realtime_endpoints:',
    `      - { type: webhook, url: "${webhookUrl}", events: [participant_events.join] }`,
    '  support:',
    '    retention: { type: forever }',
    'assignments:',
    '  - profile: sales',
    `    bots: [${BOT_A}, ${BOT_B}, ${BOT_C}]`,
    '  - profile: support',
    '    match: { metadata: { team: support } }',
  )

function resolve(files = recordings()): ResolvedProject {
  const run = runProject(withConfig({'recordings/a.yaml': files}), {mode: 'plan', env: {HOOK_TOKEN: 's3cret'}})
  const errors = run.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length > 0) throw new Error(`fixture does not resolve: ${JSON.stringify(errors)}`)
  return run.resolved
}

const inCallIdle: ObservedState = {
  status: 'in_call_not_recording',
  newest_recording_id: null,
  active_recording_id: null,
  active_digest: null,
  active_profile: null,
}
const recordingOther: ObservedState = {
  status: 'in_call_recording',
  newest_recording_id: 'rec-1',
  active_recording_id: 'rec-1',
  active_digest: 'v1:00000000000000000000000000000000',
  active_profile: 'old',
}

/** A change as the diff would make it for `bot` under its current assignment in `resolved`. */
function change(
  resolved: ResolvedProject,
  bot: string,
  action: Action,
  before: ObservedState = action === 'restart' ? recordingOther : inCallIdle,
): PlannedChange {
  const assignment = resolved.assignments.find((a) =>
    a.selector.kind === 'bots' ? a.selector.bots.includes(bot) : bot === MATCHED,
  )
  if (!assignment) throw new Error(`no assignment for ${bot}`)
  return {
    bot_id: bot,
    profile: assignment.profile,
    assignment: assignment.label,
    action,
    reason: 'test',
    adopted: false,
    before,
    after: {digest: assignment.digest, body: assignment.body},
    fields_changed: [],
  }
}

function plan(changes: PlannedChange[], diagnostics: Diagnostic[] = []): Plan {
  return {
    format_version: 1,
    tool_version: '0.0.0-test',
    created_at: '2026-01-01T00:00:00.000Z',
    plan_digest: planDigest(changes),
    workspace: {base_url: 'sandbox'},
    summary: summarize(changes),
    changes,
    drift: [],
    diagnostics,
  }
}

const guards = (over: Partial<ApplyGuards> = {}): ApplyGuards => ({allowRestart: false, ignoreMissing: false, ...over})

describe('callsFromPlan: the calls of an acceptable plan', () => {
  it('makes one call per start or restart, in plan order, and none for the other actions', () => {
    const resolved = resolve()
    const p = plan([
      change(resolved, BOT_A, 'start'),
      change(resolved, BOT_B, 'restart'),
      change(resolved, BOT_C, 'noop', recordingOther),
      change(resolved, MATCHED, 'pending'),
    ])
    const {calls, refusals} = callsFromPlan(p, resolved, guards({allowRestart: true}))
    expect(refusals).toEqual([])
    expect(calls.map((c) => [c.bot_id, c.action])).toEqual([
      [BOT_A, 'start'],
      [BOT_B, 'restart'],
    ])
  })

  it("takes each call's body from the config as it resolves now, `${env:}` still as written", () => {
    const resolved = resolve()
    const sales = resolved.assignments.find((a) => a.profile === 'sales')!
    // A saved plan's bodies are redacted: the call must not use them.
    const planned = {...change(resolved, BOT_A, 'start'), after: {digest: sales.digest, body: {redacted: '<redacted>'}}}
    const {calls} = callsFromPlan(plan([planned]), resolved, guards())
    expect(calls[0]!.body).toEqual(sales.body)
    expect(JSON.stringify(calls[0]!.body)).toContain('${env:HOOK_TOKEN}')
    expect(calls[0]).toMatchObject({digest: sales.digest, profile: 'sales', before: inCallIdle})
  })

  it('accepts a bot that a match selector claimed', () => {
    const resolved = resolve()
    const {calls, refusals} = callsFromPlan(plan([change(resolved, MATCHED, 'start')]), resolved, guards())
    expect(refusals).toEqual([])
    expect(calls.map((c) => [c.bot_id, c.profile])).toEqual([[MATCHED, 'support']])
  })

  it('accepts the reviewed plan digest', () => {
    const resolved = resolve()
    const p = plan([change(resolved, BOT_A, 'start')])
    expect(callsFromPlan(p, resolved, guards({expectDigest: p.plan_digest})).refusals).toEqual([])
  })
})

describe('callsFromPlan: refusals, decided before any call', () => {
  it('refuses a plan whose digest is not the reviewed one', () => {
    const resolved = resolve()
    const p = plan([change(resolved, BOT_A, 'start')])
    const {refusals} = callsFromPlan(p, resolved, guards({expectDigest: 'v1:ffffffffffffffffffffffffffffffff'}))
    expect(refusals.map((r) => r.code)).toEqual(['digest_mismatch'])
    expect(refusals[0]!.message).toContain(p.plan_digest)
    expect(refusals[0]!.message).toContain('v1:ffffffffffffffffffffffffffffffff')
  })

  it('refuses the whole plan when a profile changed since, naming every affected bot', () => {
    const before = resolve()
    const p = plan([change(before, BOT_A, 'start'), change(before, BOT_B, 'start'), change(before, MATCHED, 'start')])
    const after = resolve(recordings(48))
    const {refusals} = callsFromPlan(p, after, guards())
    expect(refusals.map((r) => r.code)).toEqual(['config_changed'])
    expect(refusals[0]!.bots).toEqual([BOT_A, BOT_B])
    expect(refusals[0]!.message).toContain(BOT_A)
    expect(refusals[0]!.message).toContain(BOT_B)
    expect(refusals[0]!.message).not.toContain(MATCHED)
  })

  it('counts a non-change action whose body changed as a changed config too', () => {
    const before = resolve()
    const p = plan([change(before, BOT_C, 'noop', recordingOther)])
    expect(callsFromPlan(p, resolve(recordings(48)), guards()).refusals.map((r) => r.bots)).toEqual([[BOT_C]])
  })

  it('refuses when a bot was removed from its assignment since the plan', () => {
    const before = resolve()
    const p = plan([change(before, BOT_A, 'start')])
    const after = resolve(recordings().replace(`[${BOT_A}, `, '['))
    expect(callsFromPlan(p, after, guards()).refusals).toMatchObject([{code: 'config_changed', bots: [BOT_A]}])
  })

  it('does not refuse when only a secret value changed: the digest keeps `${env:}` as written', () => {
    const before = resolve()
    const p = plan([change(before, BOT_A, 'start')])
    const run = runProject(withConfig({'recordings/a.yaml': recordings()}), {mode: 'plan', env: {HOOK_TOKEN: 'rotated'}})
    expect(callsFromPlan(p, run.resolved, guards()).refusals).toEqual([])
  })

  it('refuses a plan with a missing bot, unless missing bots are ignored', () => {
    const resolved = resolve()
    const missing: ObservedState = {
      status: null,
      newest_recording_id: null,
      active_recording_id: null,
      active_digest: null,
      active_profile: null,
    }
    const p = plan([change(resolved, BOT_A, 'start'), change(resolved, BOT_B, 'missing', missing)])
    const refused = callsFromPlan(p, resolved, guards())
    expect(refused.refusals).toMatchObject([{code: 'bot_missing', bots: [BOT_B]}])
    expect(refused.refusals[0]!.message).toContain('--ignore-missing')
    const ignored = callsFromPlan(p, resolved, guards({ignoreMissing: true}))
    expect(ignored.refusals).toEqual([])
    expect(ignored.calls.map((c) => c.bot_id)).toEqual([BOT_A])
  })

  it('refuses a plan that carries an error, such as a bot claimed by two assignments', () => {
    const resolved = resolve()
    const conflict: Diagnostic = {
      severity: 'error',
      code: 'bot_conflict',
      message: `bot ${MATCHED} is claimed by two assignments`,
    }
    const warning: Diagnostic = {severity: 'warning', code: 'unknown_status', message: 'a warning does not block'}
    const {refusals} = callsFromPlan(plan([change(resolved, BOT_A, 'start')], [conflict, warning]), resolved, guards())
    expect(refusals).toMatchObject([{code: 'bot_conflict', message: conflict.message}])
  })

  it('refuses restarts unless they are allowed, naming the bots that would restart', () => {
    const resolved = resolve()
    const p = plan([change(resolved, BOT_A, 'start'), change(resolved, BOT_B, 'restart'), change(resolved, BOT_C, 'restart')])
    const refused = callsFromPlan(p, resolved, guards())
    expect(refused.refusals).toMatchObject([{code: 'restart_not_allowed', bots: [BOT_B, BOT_C]}])
    expect(refused.refusals[0]!.message).toContain(BOT_B)
    expect(refused.refusals[0]!.message).toContain('--allow-restart')
    expect(callsFromPlan(p, resolved, guards({allowRestart: true})).refusals).toEqual([])
  })

  it('reports every reason at once', () => {
    const before = resolve()
    const p = plan([change(before, BOT_A, 'restart')])
    const {refusals} = callsFromPlan(p, before, guards({expectDigest: 'v1:nope'}))
    expect(refusals.map((r) => r.code).sort()).toEqual(['digest_mismatch', 'restart_not_allowed'])
  })
})
