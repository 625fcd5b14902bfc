import {describe, expect, test} from 'vitest'
import {knownBodies} from '../../src/app/make-plan.js'
import {buildPlan} from '../../src/diff/build-plan.js'
import {claimBots, matchesSelector} from '../../src/refresh/claim.js'
import {missingSnapshot, type BotSnapshot} from '../../src/refresh/snapshot.js'
import type {ResolvedAssignment} from '../../src/resolve/types.js'
import type {MatchSelector} from '../../src/validate/types.js'
import {snapshot, uuid} from './support/bots.js'
import {BOT_A, BOT_B, BOT_C, ENV, fixture} from './support/project.js'

const project = fixture()
const hookedById = project.assignment(2)
const supportMatch = project.assignment(4)
const vipMatch = project.assignment(6)
const baseById = project.assignment(8)
const all = [hookedById, supportMatch, vipMatch, baseById]

const selector = (metadata: Record<string, string>, status: string[] = []): MatchSelector => ({kind: 'match', metadata, status})

describe('matchesSelector', () => {
  const bot = snapshot({id: uuid(1), status: 'in_call_recording', metadata: {team: 'support', region: 'emea'}})

  test('every metadata pair equal and the status listed: matched', () => {
    expect(matchesSelector(bot, selector({team: 'support'}, ['in_call_not_recording', 'in_call_recording']))).toBe(true)
    expect(matchesSelector(bot, selector({team: 'support', region: 'emea'}))).toBe(true)
  })

  test('a metadata value that differs, or a key the bot lacks: not matched', () => {
    expect(matchesSelector(bot, selector({team: 'sales'}))).toBe(false)
    expect(matchesSelector(bot, selector({team: 'support', tier: 'vip'}))).toBe(false)
    expect(
      matchesSelector(snapshot({id: uuid(2), status: 'in_call_recording', metadata: {team: null}}), selector({team: 'support'})),
    ).toBe(false)
  })

  test('metadata is compared exactly (case matters)', () => {
    expect(matchesSelector(bot, selector({team: 'Support'}))).toBe(false)
  })

  test('a status outside the list: not matched', () => {
    expect(matchesSelector(bot, selector({team: 'support'}, ['in_call_not_recording']))).toBe(false)
  })

  test('without a status list any status matches, unknown ones included', () => {
    expect(
      matchesSelector(snapshot({id: uuid(3), status: 'call_ended', metadata: {team: 'support'}}), selector({team: 'support'})),
    ).toBe(true)
    expect(
      matchesSelector(
        snapshot({id: uuid(4), status: 'brand_new_code', metadata: {team: 'support'}}),
        selector({team: 'support'}),
      ),
    ).toBe(true)
  })

  test('an empty selector matches every bot; a bot without a status never matches a status list', () => {
    expect(matchesSelector(bot, selector({}))).toBe(true)
    expect(matchesSelector(missingSnapshot(uuid(5)), selector({}, ['in_call_recording']))).toBe(false)
  })
})

describe('claimBots', () => {
  const D = uuid(0xd)
  const E = uuid(0xe)
  const support = (id: string) => snapshot({id, status: 'in_call_recording', metadata: {team: 'support', tier: 'vip'}})

  const claim = (matched: Array<[ResolvedAssignment, BotSnapshot[]]>) => claimBots(all, new Map(matched))

  test('each assignment claims its explicit ids and the bots its selector found, once each', () => {
    const {desired, diagnostics} = claim([
      [supportMatch, [support(D)]],
      [vipMatch, [{...support(E), metadata: {tier: 'vip'}}]],
    ])
    expect(diagnostics).toEqual([])
    expect(desired.map((d) => [d.bot_id, d.profile, d.assignment, d.digest])).toEqual([
      [BOT_A, 'hooked', 'recordings/assignments.yaml:2', hookedById.digest],
      [BOT_B, 'hooked', 'recordings/assignments.yaml:2', hookedById.digest],
      [D, 'support', 'recordings/assignments.yaml:4', supportMatch.digest],
      [E, 'sales-call', 'recordings/assignments.yaml:6', vipMatch.digest],
      [BOT_C, 'base', 'recordings/assignments.yaml:8', baseById.digest],
    ])
    expect(desired.find((d) => d.bot_id === D)!.body).toBe(supportMatch.body)
  })

  test('an explicit id that a selector also finds: the explicit assignment keeps it, an error names both', () => {
    const {desired, diagnostics} = claim([[supportMatch, [support(BOT_A)]]])
    expect(desired.filter((d) => d.bot_id === BOT_A).map((d) => d.profile)).toEqual(['hooked'])
    expect(diagnostics).toHaveLength(1)
    const conflict = diagnostics[0]!
    expect(conflict).toMatchObject({severity: 'error', code: 'bot_conflict', file: 'recordings/assignments.yaml', line: 4})
    for (const part of [BOT_A, 'recordings/assignments.yaml:2', 'recordings/assignments.yaml:4', '"hooked"', '"support"'])
      expect(conflict.message).toContain(part)
    // Both places are where the bot is written: its id in the first assignment's bots list.
    expect(conflict.related).toEqual([expect.objectContaining({file: 'recordings/assignments.yaml', line: 3})])
  })

  test('two selectors that find the same bot: the first in file order keeps it, an error names both', () => {
    const {desired, diagnostics} = claim([
      [supportMatch, [support(D)]],
      [vipMatch, [support(D), support(E)]],
    ])
    expect(desired.filter((d) => d.bot_id === D).map((d) => d.profile)).toEqual(['support'])
    expect(desired.filter((d) => d.bot_id === E).map((d) => d.profile)).toEqual(['sales-call'])
    expect(diagnostics.map((d) => d.code)).toEqual(['bot_conflict'])
    expect(diagnostics[0]!.message).toContain('recordings/assignments.yaml:4')
    expect(diagnostics[0]!.message).toContain('recordings/assignments.yaml:6')
    expect(diagnostics[0]).toMatchObject({line: 6, related: [expect.objectContaining({line: 4})]})
  })

  test('every conflict is reported, not just the first', () => {
    const {diagnostics} = claim([
      [supportMatch, [support(BOT_A), support(D)]],
      [vipMatch, [support(D), support(BOT_C)]],
    ])
    expect(diagnostics.map((d) => d.message.slice(0, 'bot '.length + 36))).toEqual([`bot ${BOT_A}`, `bot ${D}`, `bot ${BOT_C}`])
  })

  test('a conflict is an error in the plan, which still renders with the first claim', () => {
    const claimed = claim([[supportMatch, [support(BOT_A)]]])
    const plan = buildPlan({
      desired: claimed.desired,
      snapshots: new Map([[BOT_A, support(BOT_A)]]),
      context: {bodiesByDigest: knownBodies(project.resolved), env: ENV},
      diagnostics: claimed.diagnostics,
      ignoreMissing: true,
      base_url: 'sandbox',
      created_at: '2026-11-25T12:00:00.000Z',
      tool_version: '0.1.0',
    })
    expect(plan.changes.find((c) => c.bot_id === BOT_A)).toMatchObject({profile: 'hooked', action: 'start'})
    expect(plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['bot_conflict'])
  })
})
