import {describe, expect, test} from 'vitest'
import {checkScope} from '../../src/app/make-plan.js'
import type {RecallClient} from '../../src/recall/client/client.js'
import {refresh} from '../../src/refresh/refresh.js'
import {missingSnapshot} from '../../src/refresh/snapshot.js'
import {buildReadScope, parseTargets, unassignedExcludes, unclaimedTargets, type TargetSpec} from '../../src/refresh/scope.js'
import {rawBot, snapshot, uuid} from './support/bots.js'
import {BOT_A, BOT_B, BOT_C, fixture} from './support/project.js'

const project = fixture()
const assignments = project.resolved.assignments
const PROFILES = project.resolved.profiles.map((p) => p.name)
const OTHER = uuid(0x99)
const none: TargetSpec = {ids: new Set(), profiles: new Set()}
const spec = (...values: string[]): TargetSpec => {
  const parsed = parseTargets(values, '--target', PROFILES)
  expect(parsed.diagnostics).toEqual([])
  return parsed.spec
}
const labels = (list: ReadonlyArray<{label: string}>) => list.map((a) => a.label.replace('recordings/assignments.yaml:', 'line '))

describe('parseTargets', () => {
  test('bot ids (any case, stored lower case) and profile:NAME', () => {
    const parsed = parseTargets([BOT_A.toUpperCase(), 'profile:support', BOT_B], '--target', PROFILES)
    expect(parsed.diagnostics).toEqual([])
    expect([...parsed.spec.ids]).toEqual([BOT_A, BOT_B])
    expect([...parsed.spec.profiles]).toEqual(['support'])
  })

  test('an unknown profile is an error with a did-you-mean', () => {
    const {diagnostics} = parseTargets(['profile:suport'], '--exclude', PROFILES)
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({severity: 'error', code: 'bad_target'})
    expect(diagnostics[0]!.message).toContain('--exclude profile:suport')
    expect(diagnostics[0]!.message).toContain('Did you mean profile:support?')
  })

  test('an unknown profile with no close name lists the profiles', () => {
    const {diagnostics} = parseTargets(['profile:zzzzzzzzzz'], '--target', PROFILES)
    expect(diagnostics[0]!.message).toContain('Profiles: base, hooked, sales-call, support.')
  })

  test('anything else is an error saying what to write; every bad value is reported', () => {
    const {diagnostics} = parseTargets(['6e1f5adb', 'profile:', 'sales-call', BOT_A], '--target', PROFILES)
    expect(diagnostics.map((d) => d.code)).toEqual(['bad_target', 'bad_target', 'bad_target'])
    expect(diagnostics[0]!.message).toContain('--target 6e1f5adb')
    expect(diagnostics[0]!.message).toContain('write a bot id (a UUID) or profile:NAME')
    expect(diagnostics[2]!.message).toContain('--target sales-call')
  })
})

describe('buildReadScope', () => {
  // The fixture: line 2 hooked bots [A, B]; line 4 support match; line 6 sales-call match; line 8 base bots [C].

  test('without flags every explicit bot is read by id and every selector listed', () => {
    const {scope, diagnostics} = buildReadScope(assignments, null, none)
    expect(diagnostics).toEqual([])
    expect(scope.botIds.sort()).toEqual([BOT_A, BOT_B, BOT_C].sort())
    expect(labels(scope.listed)).toEqual(['line 4', 'line 6'])
    expect(scope.probed).toEqual([])
    expect(labels(scope.assignments)).toEqual(['line 2', 'line 4', 'line 6', 'line 8'])
  })

  test('a profile target reads only that profile: its explicit bots, or its selector', () => {
    const hooked = buildReadScope(assignments, spec('profile:hooked'), none).scope
    expect(hooked.botIds.sort()).toEqual([BOT_A, BOT_B].sort())
    expect(hooked.listed).toEqual([])
    expect(labels(hooked.assignments)).toEqual(['line 2'])

    const support = buildReadScope(assignments, spec('profile:support'), none).scope
    expect(support.botIds).toEqual([])
    expect(labels(support.listed)).toEqual(['line 4'])
    expect(labels(support.assignments)).toEqual(['line 4'])
  })

  test('an id target on an explicit assignment reads that bot alone, and lists no selector', () => {
    const {scope, diagnostics} = buildReadScope(assignments, spec(BOT_A), none)
    expect(diagnostics).toEqual([])
    expect(scope.botIds).toEqual([BOT_A])
    expect(scope.listed).toEqual([])
    expect(scope.probeIds).toEqual([])
    const explicit = scope.assignments.find((a) => a.selector.kind === 'bots')!
    expect(explicit.selector).toMatchObject({bots: [BOT_A]})
  })

  test('an id no assignment lists is read singly and probed against the selectors instead of listing them', () => {
    const {scope, diagnostics} = buildReadScope(assignments, spec(OTHER), none)
    expect(diagnostics).toEqual([])
    expect(scope.botIds).toEqual([OTHER])
    expect(scope.listed).toEqual([])
    expect(scope.probeIds).toEqual([OTHER])
    expect(labels(scope.probed)).toEqual(['line 4', 'line 6'])
  })

  test('an id nothing could claim is an error (a typo must not pass green), and it is not read', () => {
    const explicitOnly = assignments.filter((a) => a.selector.kind === 'bots')
    const {scope, diagnostics} = buildReadScope(explicitOnly, spec(OTHER), none)
    expect(scope.botIds).toEqual([])
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({severity: 'error', code: 'target_unassigned'})
    expect(diagnostics[0]!.message).toContain(OTHER)
  })

  test('profile and id targets add up', () => {
    const {scope} = buildReadScope(assignments, spec('profile:hooked', BOT_C), none)
    expect(scope.botIds.sort()).toEqual([BOT_A, BOT_B, BOT_C].sort())
    expect(scope.listed).toEqual([])
  })

  test('an excluded id is not read; its assignment keeps its other bots and their lines', () => {
    const {scope} = buildReadScope(assignments, null, spec(BOT_A))
    expect(scope.botIds.sort()).toEqual([BOT_B, BOT_C].sort())
    const explicit = scope.assignments.find((a) => a.label.endsWith(':2'))!
    expect(explicit.selector).toMatchObject({kind: 'bots', bots: [BOT_B], locations: [expect.objectContaining({line: 3})]})
    expect(labels(scope.listed)).toEqual(['line 4', 'line 6'])
  })

  test('an assignment whose bots are all excluded drops out', () => {
    const {scope} = buildReadScope(assignments, null, spec(BOT_A, BOT_B))
    expect(labels(scope.assignments)).toEqual(['line 4', 'line 6', 'line 8'])
    expect(scope.botIds).toEqual([BOT_C])
  })

  test('an excluded profile is neither read nor listed; excluded ids are filtered out of what selectors find', () => {
    const {scope} = buildReadScope(assignments, null, spec('profile:support', OTHER))
    expect(labels(scope.listed)).toEqual(['line 6'])
    expect(scope.excluded(uuid(1), 'support')).toBe(true)
    expect(scope.excluded(OTHER, 'sales-call')).toBe(true)
    expect(scope.excluded(uuid(1), 'sales-call')).toBe(false)
  })

  test('an id both targeted and excluded is not read for the plan; an excluded id no assignment lists is read once, to check it exists', () => {
    const {scope, diagnostics} = buildReadScope(assignments, spec(BOT_A, OTHER), spec(BOT_A, OTHER))
    expect(scope.probeIds).toEqual([])
    expect(scope.excludeProbeIds).toEqual([OTHER])
    expect(scope.botIds).toEqual([OTHER])
    expect(diagnostics).toEqual([])
  })

  test('an excluded id no assignment lists, with no selector that could claim it, is an error before any read', () => {
    const explicitOnly = assignments.filter((a) => a.selector.kind === 'bots')
    const {scope, diagnostics} = buildReadScope(explicitOnly, null, spec(OTHER, BOT_A))
    expect(scope.botIds.sort()).toEqual([BOT_B, BOT_C].sort())
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({severity: 'error', code: 'target_unassigned'})
    expect(diagnostics[0]!.message).toContain(`--exclude ${OTHER}`)
  })
})

describe('checkScope (the plan command)', () => {
  test('reports the problems of --target and --exclude together', () => {
    const {diagnostics} = checkScope(project.resolved, {targets: ['profile:hoked', 'nope'], excludes: ['profile:nope-nope-nope']})
    expect(diagnostics.map((d) => d.message.split(':')[0])).toEqual(['--target profile', '--target nope', '--exclude profile'])
  })
})

describe('refresh follows the scope', () => {
  /** A client that answers from a table of bots and counts what it was asked. */
  function fakeClient(bots: Array<Record<string, unknown>>) {
    const calls = {retrieve: [] as string[], list: 0}
    const client = {
      async retrieveBot(id: string) {
        calls.retrieve.push(id)
        return bots.find((b) => b['id'] === id) ?? null
      },
      async listBots() {
        calls.list += 1
        return bots
      },
    } as unknown as RecallClient
    return {client, calls}
  }
  const supportBot = rawBot({id: OTHER, status: 'in_call_recording', metadata: {team: 'support'}})

  test('a targeted id is claimed by the selector it matches, from a single read', async () => {
    const {client, calls} = fakeClient([supportBot])
    const {scope} = buildReadScope(assignments, spec(OTHER), none)
    const result = await refresh(client, scope)
    expect(calls).toEqual({retrieve: [OTHER], list: 0})
    const claimedBy = [...result.matched].filter(([, found]) => found.some((s) => s.bot_id === OTHER)).map(([a]) => a.profile)
    expect(claimedBy).toEqual(['support'])
  })

  test('a targeted id that matches no selector is claimed by none', async () => {
    const {client} = fakeClient([rawBot({id: OTHER, status: 'in_call_recording', metadata: {team: 'marketing'}})])
    const result = await refresh(client, buildReadScope(assignments, spec(OTHER), none).scope)
    expect([...result.matched.values()].flat()).toEqual([])
  })

  test('a 404 is a missing snapshot; excluded ids found by a selector are dropped', async () => {
    const {client, calls} = fakeClient([supportBot])
    const result = await refresh(client, buildReadScope(assignments, null, spec(OTHER)).scope)
    expect(calls.retrieve.sort()).toEqual([BOT_A, BOT_B, BOT_C, OTHER].sort())
    expect(calls.list).toBe(2)
    expect(result.snapshots.get(BOT_A)).toMatchObject({found: false})
    expect([...result.matched.values()].flat()).toEqual([])
  })
})

describe('unclaimedTargets', () => {
  const found = snapshot({id: OTHER, status: 'joining_call', metadata: {team: 'support'}})

  test('a targeted id no selector claimed is an error that says why', () => {
    const diagnostics = unclaimedTargets([OTHER], new Set(), new Map([[OTHER, found]]))
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({severity: 'error', code: 'target_unassigned'})
    expect(diagnostics[0]!.message).toContain(`--target ${OTHER}`)
    expect(diagnostics[0]!.message).toContain('status joining_call')
  })

  test('a targeted id that does not exist says so', () => {
    const [absent, notRead] = unclaimedTargets([OTHER, uuid(0x98)], new Set(), new Map([[OTHER, missingSnapshot(OTHER)]]))
    expect(absent!.message).toContain('404')
    expect(notRead!.message).toContain('404')
  })

  test('a claimed id is not reported', () => {
    expect(unclaimedTargets([OTHER], new Set([OTHER]), new Map([[OTHER, found]]))).toEqual([])
  })
})

describe('unassignedExcludes', () => {
  const support = snapshot({id: OTHER, status: 'in_call_recording', metadata: {team: 'support'}})
  const marketing = snapshot({id: OTHER, status: 'in_call_recording', metadata: {team: 'marketing'}})

  test('an excluded id some selector matches is fine, in scope or not', () => {
    expect(unassignedExcludes([OTHER], assignments, new Map([[OTHER, support]]))).toEqual([])
  })

  test('an excluded id no selector matches, or that does not exist, is an error naming it', () => {
    const [unmatched] = unassignedExcludes([OTHER], assignments, new Map([[OTHER, marketing]]))
    expect(unmatched).toMatchObject({severity: 'error', code: 'target_unassigned'})
    expect(unmatched!.message).toContain(`--exclude ${OTHER}`)
    const [absent] = unassignedExcludes([OTHER], assignments, new Map([[OTHER, missingSnapshot(OTHER)]]))
    expect(absent!.message).toContain('404')
  })
})
