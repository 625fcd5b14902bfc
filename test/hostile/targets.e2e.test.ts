import {randomUUID} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {isStartRecording} from '../support/e2e.js'
import {expectSafe, hostileProject, selectorProject, type HostileProject} from './support/hostile.js'

/**
 * `--target`/`--exclude` must name something that exists: a bot the config assigns (explicitly, or one a
 * match selector matches once read) or a declared profile. A typo is an error naming it (exit 1), never a
 * warning and "No changes" with exit 0, for plan, apply and watch.
 */

const noStarts = (h: HostileProject) => expect(h.sandbox.requests().filter(isStartRecording)).toEqual([])

describe('a target or exclude that names nothing is an error, before any request when the config alone tells', () => {
  const typo = '00000000-0000-4000-8000-00000000dead'
  const cases: Array<[string, string[], RegExp]> = [
    [
      'plan --target of a bot no assignment lists',
      ['plan', '--target', typo],
      new RegExp(`--target ${typo}: no assignment lists this bot`),
    ],
    [
      'plan --target of an undeclared profile',
      ['plan', '--target', 'profile:nope'],
      /--target profile:nope: no profile named "nope"/,
    ],
    [
      'plan --exclude of a bot no assignment lists',
      ['plan', '--exclude', typo],
      new RegExp(`--exclude ${typo}: no assignment lists this bot`),
    ],
    [
      'plan --exclude of an undeclared profile',
      ['plan', '--exclude', 'profile:e2f'],
      /--exclude profile:e2f: .*Did you mean profile:e2e\?/,
    ],
    ['plan --target that is not an id', ['plan', '--target', '6e1f5adb'], /--target 6e1f5adb: write a bot id/],
    [
      'apply --target of a bot no assignment lists',
      ['apply', '--auto-approve', '--target', typo],
      new RegExp(`--target ${typo}`),
    ],
    [
      'apply --exclude of a bot no assignment lists',
      ['apply', '--auto-approve', '--exclude', typo],
      new RegExp(`--exclude ${typo}`),
    ],
    ['apply --target of an undeclared profile', ['apply', '--auto-approve', '--target', 'profile:nope'], /--target profile:nope/],
  ]
  it.each(cases)('%s', async (_name, args, says) => {
    const h = await hostileProject()
    const result = await h.run(args)
    expectSafe(result, h, {exitCode: 1, requests: 'none', says})
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/No changes/)
  })

  it('RECALLCTL_TARGET with a typo, for apply: the same error', async () => {
    const h = await hostileProject()
    const result = await h.run(['apply', '--auto-approve'], {env: {RECALLCTL_TARGET: `${h.ids[0]},${typo}`}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: new RegExp(`--target ${typo}`)})
  })

  it('watch takes no targets: RECALLCTL_TARGET set for it is an error, not a narrowing silently ignored', async () => {
    const h = await hostileProject()
    const result = await h.run(['watch', '--once'], {env: {RECALLCTL_TARGET: h.ids[0]!}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: /RECALLCTL_TARGET is set, but watch/})
  })

  it('apply PLANFILE with --target: refused (a plan file is applied as it was made)', async () => {
    const h = await hostileProject()
    expect((await h.run(['plan', '--out', 'plan.json'])).code).toBe(0)
    h.sandbox.core.log.clear()
    const result = await h.run(['apply', 'plan.json', '--auto-approve', '--target', h.ids[0]!])
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: /--target and --exclude shape a plan/})
  })
})

describe('with match selectors, the bot is read to tell', () => {
  it('plan --target of a bot that does not exist: exit 1 naming it, one read, no List Bots', async () => {
    const h = await selectorProject()
    const ghost = randomUUID()
    const result = await h.run(['plan', '--target', ghost])
    expectSafe(result, h, {exitCode: 1, requests: 'reads', says: new RegExp(`--target ${ghost}: no such bot .*404`)})
    expect(h.sandbox.requests().map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v1/bot/${ghost}/`])
  })

  it('apply --target of a bot no selector matches: exit 1 naming it, no call', async () => {
    const h = await selectorProject()
    const result = await h.run(['apply', '--auto-approve', '--target', h.other])
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'reads',
      says: new RegExp(`--target ${h.other}: no assignment lists this bot and no match selector matches it`),
    })
    noStarts(h)
  })

  it('apply --exclude of a bot no selector matches (a typo for the one meant): exit 1, the bot meant is not started', async () => {
    const h = await selectorProject()
    const result = await h.run(['apply', '--auto-approve', '--exclude', h.other])
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'reads',
      says: new RegExp(`--exclude ${h.other}: no assignment lists this bot and no match selector matches it`),
    })
    noStarts(h)
  })

  it('--exclude of a bot a selector matches is fine: the others are applied', async () => {
    const h = await selectorProject()
    const result = await h.run(['plan', '--exclude', h.matched, '--detailed-exitcode'])
    expectSafe(result, h, {exitCode: 0, requests: 'reads'})
  })
})
