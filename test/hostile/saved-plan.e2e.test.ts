import {mkdirSync, readFileSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
import path from 'node:path'
import {randomUUID} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {planDigest, summarize} from '../../src/diff/build-plan.js'
import type {Plan, PlannedChange} from '../../src/plan/types.js'
import {isStartRecording} from '../support/e2e.js'
import {expectSafe, hostileProject, selectorProject, type HostileProject} from './support/hostile.js'

/**
 * A saved plan is untrusted input: whatever is edited in the file, apply makes no call it would not make
 * for the plan as written by `recallctl plan`, refuses the whole file before the first write, and names
 * the bot and the field that differ.
 */

type Doc = Plan & Record<string, unknown>

/** Saves a plan of the project as it is now (then forgets the requests it took). */
async function savePlan(h: HostileProject, args: string[] = [], exitCode = 0): Promise<Doc> {
  const result = await h.run(['plan', '--out', 'plan.json', ...args])
  expect(result.code, result.stderr).toBe(exitCode)
  h.sandbox.core.log.clear()
  return readPlan(h)
}

const readPlan = (h: HostileProject): Doc => JSON.parse(readFileSync(path.join(h.project.dir, 'plan.json'), 'utf8')) as Doc

/** Writes the edited plan; `forge` also recomputes plan_digest and summary, as a careful forger would. */
function writePlan(h: HostileProject, doc: Doc, forge = true): void {
  if (forge) {
    doc.plan_digest = planDigest(doc.changes)
    doc.summary = summarize(doc.changes)
  }
  h.write('plan.json', JSON.stringify(doc, null, 2))
}

/** Applies the plan file; the sandbox log then holds only this run's requests. */
const applyPlan = (h: HostileProject, ...extra: string[]) => h.run(['apply', 'plan.json', '--auto-approve', ...extra])

const noStarts = (h: HostileProject) => expect(h.sandbox.requests().filter(isStartRecording)).toEqual([])

/** A project whose bots are all recording with the desired body: every change of a new plan is noop. */
async function inSyncProject(): Promise<HostileProject> {
  const h = await hostileProject()
  expect((await h.run(['apply', '--auto-approve'])).code).toBe(0)
  return h
}

const changeOf = (doc: Doc, id: string): PlannedChange => doc.changes.find((c) => c.bot_id === id)!

describe('a tampered saved plan is refused whole, before any call', () => {
  it('an action changed from noop to start, applied with the reviewed digest: refused on the digest, no request at all', async () => {
    const h = await inSyncProject()
    const doc = await savePlan(h)
    const reviewed = doc.plan_digest
    expect(doc.changes.map((c) => c.action)).toEqual(['noop', 'noop'])
    doc.changes[0]!.action = 'start'
    writePlan(h, doc, false)
    const result = await applyPlan(h, '--expect-digest', reviewed)
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: [/plan_digest/, /--expect-digest/]})
  })

  it('the same edit with plan_digest forged: the action is recomputed from the bot as read now, and refused naming bot and field', async () => {
    const h = await inSyncProject()
    const doc = await savePlan(h)
    const bot = doc.changes[0]!.bot_id
    doc.changes[0]!.action = 'start'
    writePlan(h, doc)
    const result = await applyPlan(h)
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'reads',
      says: [new RegExp(`bot ${bot}: action is "start" in the file, but .*"noop"`)],
    })
    noStarts(h)
  })

  it('a forged digest does not pass --expect-digest: the reviewed digest is compared with the recomputed one', async () => {
    const h = await inSyncProject()
    const doc = await savePlan(h)
    const reviewed = doc.plan_digest
    doc.changes[1]!.action = 'start'
    writePlan(h, doc)
    const result = await applyPlan(h, '--expect-digest', reviewed)
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'none',
      says: new RegExp(`--expect-digest: the plan file's changes digest to v1:\\w+, not the reviewed ${reviewed}`),
    })
  })

  it('a copy of a match change with another bot id: that bot, which no selector matches, is not started', async () => {
    const h = await selectorProject()
    const doc = await savePlan(h)
    expect(doc.changes.map((c) => c.bot_id)).toEqual([h.matched])
    doc.changes.push({...structuredClone(doc.changes[0]!), bot_id: h.other})
    writePlan(h, doc)
    const result = await applyPlan(h)
    expectSafe(result, h, {exitCode: 1, requests: 'reads', says: new RegExp(`bot ${h.other}: no assignment claims it`)})
    noStarts(h)
  })

  it('a deleted bot_conflict error: the conflict is found again on the bot as read now', async () => {
    const h = await selectorProject({conflict: true})
    const doc = await savePlan(h, [], 1)
    expect(doc.diagnostics.map((d) => d.code)).toContain('bot_conflict')
    doc.diagnostics = doc.diagnostics.filter((d) => d.code !== 'bot_conflict')
    writePlan(h, doc)
    const result = await applyPlan(h, '--expect-digest', doc.plan_digest)
    expectSafe(result, h, {exitCode: 1, requests: 'reads', says: new RegExp(`bot ${h.matched} is claimed by two assignments`)})
    noStarts(h)
  })

  it('a deleted bot_missing error with the action changed to start: refused, the bot is still missing', async () => {
    const h = await hostileProject()
    const ghost = randomUUID()
    h.write(
      'recordings/e2e.yaml',
      [
        'profiles:',
        '  e2e:',
        '    retention: { type: timed, hours: 24 }',
        'assignments:',
        '  - profile: e2e',
        '    bots:',
        ...[...h.ids, ghost].map((id) => `      - ${id}`),
        '',
      ].join('\n'),
    )
    const doc = await savePlan(h, [], 1)
    expect(changeOf(doc, ghost).action).toBe('missing')
    doc.diagnostics = doc.diagnostics.filter((d) => d.code !== 'bot_missing')
    changeOf(doc, ghost).action = 'start'
    writePlan(h, doc)
    const result = await applyPlan(h)
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'reads',
      says: new RegExp(`bot ${ghost}: action is "start" in the file, but .*"missing"`),
    })
    noStarts(h)
  })

  it('a bot the config does not assign, added to the file: refused before any read', async () => {
    const h = await hostileProject()
    const doc = await savePlan(h)
    const stranger = randomUUID()
    h.sandbox.seed([{id: stranger, status: 'in_call_not_recording', recordings: []}])
    doc.changes.push({...structuredClone(doc.changes[0]!), bot_id: stranger})
    writePlan(h, doc)
    const result = await applyPlan(h)
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: new RegExp(`bot ${stranger}: the config does not assign it`)})
  })

  it('an assigned bot deleted from the file: refused, the file is not the set the config claims', async () => {
    const h = await hostileProject()
    const doc = await savePlan(h)
    const dropped = doc.changes.shift()!.bot_id
    writePlan(h, doc)
    const result = await applyPlan(h)
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'none',
      says: new RegExp(`bot ${dropped}: the config assigns it .* but the plan file has no change for it`),
    })
  })

  it('an edited after.digest and profile: refused naming both fields', async () => {
    const h = await hostileProject()
    const doc = await savePlan(h)
    const bot = doc.changes[0]!.bot_id
    doc.changes[0]!.after.digest = 'v1:00000000000000000000000000000000'
    doc.changes[0]!.profile = 'admin'
    writePlan(h, doc)
    const result = await applyPlan(h)
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'none',
      says: [new RegExp(`bot ${bot}: .*profile is "admin" in the file, but "e2e"`), /after\.digest is v1:0{32} in the file/],
    })
  })

  it('a change duplicated, and a summary that does not count the changes: both named', async () => {
    const h = await hostileProject()
    const doc = await savePlan(h)
    doc.changes.push(structuredClone(doc.changes[0]!))
    doc.plan_digest = planDigest(doc.changes)
    doc.summary = {...doc.summary, noop: 5}
    writePlan(h, doc, false)
    const result = await applyPlan(h)
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'none',
      says: [
        new RegExp(`bot ${doc.changes[0]!.bot_id}: the file has more than one change`),
        /summary: .*noop is 5 in the file, but its changes hold 0/,
      ],
    })
  })

  it('a targeted plan widened by deleting its scope: the bots left out are missing from the file, refused', async () => {
    const h = await hostileProject()
    const [kept, left] = h.ids as [string, string]
    const doc = await savePlan(h, ['--target', kept])
    expect(doc.changes.map((c) => c.bot_id)).toEqual([kept])
    expect(doc.scope).toEqual({targets: [kept], excludes: []})
    delete doc.scope
    writePlan(h, doc)
    const result = await applyPlan(h)
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: new RegExp(`bot ${left}: the config assigns it`)})
  })

  it("a targeted plan with another bot added: refused, the bot is outside the plan's scope", async () => {
    const h = await hostileProject()
    const [kept, added] = h.ids as [string, string]
    const doc = await savePlan(h, ['--target', kept])
    doc.changes.push({...structuredClone(doc.changes[0]!), bot_id: added})
    writePlan(h, doc)
    const result = await applyPlan(h)
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'none',
      says: new RegExp(`bot ${added}: the config does not assign it \\(no assignment in the plan's scope`),
    })
  })

  it('an untouched targeted plan still applies, only to its bot', async () => {
    const h = await hostileProject()
    const [kept] = h.ids as [string, string]
    await savePlan(h, ['--target', kept])
    const result = await applyPlan(h)
    expectSafe(result, h, {exitCode: 0})
    expect(
      h.sandbox
        .requests()
        .filter(isStartRecording)
        .map((r) => r.path),
    ).toEqual([`/api/v1/bot/${kept}/start_recording/`])
  })
})

describe('a plan file that is not a plan: one sentence, no crash, no request', () => {
  const junk: Array<[string, (doc: Doc) => unknown, RegExp]> = [
    ['not JSON', () => '{"format_version": 1, "changes": [', /is not JSON/],
    ['an array', () => [], /holds an array/],
    ['changes is a string', (doc) => ({...doc, changes: 'all of them'}), /changes: /],
    [
      'a bot id that is not a UUID',
      (doc) => ({...doc, changes: doc.changes.map((c) => ({...c, bot_id: '../../etc/passwd'}))}),
      /changes\[0\]\.bot_id: is not a bot id/,
    ],
    [
      'an action recallctl does not have',
      (doc) => ({...doc, changes: doc.changes.map((c) => ({...c, action: 'launch'}))}),
      /changes\[0\]\.action/,
    ],
    ['a digest that is not one', (doc) => ({...doc, plan_digest: 'sha256:whatever'}), /plan_digest: is not a digest/],
    [
      'a body nested 100,000 deep',
      (doc) => JSON.stringify(doc).replace('"body":{', `"body":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)},`),
      /nests values deeper than/,
    ],
  ]
  it.each(junk)('%s', async (_name, mutate, says) => {
    const h = await hostileProject()
    const doc = await savePlan(h)
    const value = mutate(doc)
    h.write('plan.json', typeof value === 'string' ? value : JSON.stringify(value))
    for (const command of ['apply', 'show']) {
      const result = command === 'apply' ? await applyPlan(h) : await h.run(['show', 'plan.json'])
      expectSafe(result, h, {exitCode: 1, requests: 'none', says: [says, /plan\.json: The plan file/]})
      expect(
        result.stderr
          .trim()
          .split('\n')
          .filter((line) => line.trim() !== ''),
      ).toHaveLength(1)
    }
  })

  it('a FIFO or a directory as the plan file: refused at once, without waiting for a writer', async () => {
    const h = await hostileProject()
    execFileSync('mkfifo', [path.join(h.project.dir, 'fifo.json')])
    mkdirSync(path.join(h.project.dir, 'dir.json'))
    for (const [file, says] of [
      ['fifo.json', /not a regular file/],
      ['dir.json', /not a regular file|is a directory/],
      ['nowhere.json', /no such file/],
    ] as const) {
      const result = await h.run(['apply', file, '--auto-approve'])
      expectSafe(result, h, {exitCode: 1, requests: 'none', says: [says, new RegExp(file.replace('.', '\\.'))]})
    }
  })
})
