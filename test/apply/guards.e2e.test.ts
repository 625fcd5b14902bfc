import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import type {RunningSandbox, SandboxBotSeed} from '../../src/sandbox/index.js'
import {
  botOfStart,
  botsInCall,
  defaultRecordings,
  isStartRecording,
  recordingsOf,
  runCli,
  stampedRecordingsOf,
  testProject,
  testSandbox,
  type TestProject,
  seededProject,
} from '../support/e2e.js'

const lastSeq = (sandbox: RunningSandbox) => sandbox.requests().at(-1)?.seq ?? 0
const startsSince = (sandbox: RunningSandbox, seq: number) => sandbox.requests(seq).filter(isStartRecording)

async function savedPlan(project: TestProject): Promise<{plan_digest: string}> {
  const plan = await runCli(project, ['plan', '--out', 'plan.json'])
  expect(plan.code).toBe(0)
  return JSON.parse(readFileSync(path.join(project.dir, 'plan.json'), 'utf8')) as {plan_digest: string}
}

/** A bot recording with a digest recallctl stamped for some older profile: the plan restarts it. */
const recordingOldProfile = (): SandboxBotSeed => ({
  ...botsInCall(1)[0]!,
  status: 'in_call_recording',
  recordings: [
    {status: 'processing', metadata: {recallctl_digest: 'v1:00000000000000000000000000000000', recallctl_profile: 'old'}},
  ],
})

describe('apply PLANFILE: a bot that moved since the plan is skipped as stale', () => {
  it('skips the moved bots, applies the others, and exits 3', async () => {
    const sandbox = await testSandbox()
    const [left, foreign, ...rest] = botsInCall(4)
    sandbox.seed([left!, foreign!, ...rest])
    const ids = [left!.id, foreign!.id, ...rest.map((s) => s.id)]
    const project = testProject(sandbox, ids)
    await savedPlan(project)

    sandbox.setStatus(left!.id, 'call_ended')
    // Someone else starts a recording on the other bot, through the API.
    const response = await fetch(`${sandbox.url}/api/v1/bot/${foreign!.id}/start_recording/`, {
      method: 'POST',
      headers: {authorization: `Token ${sandbox.apiKey}`, 'content-type': 'application/json'},
      body: JSON.stringify({metadata: {by: 'someone else'}}),
    })
    expect(response.status).toBe(200)
    const seq = lastSeq(sandbox)

    const apply = await runCli(project, ['apply', 'plan.json', '--auto-approve'])
    expect(apply.code).toBe(3)
    expect(apply.stdout).toMatch(/2 started, 0 restarted, 2 skipped as stale, 0 failed/)
    expect(apply.stdout).toMatch(new RegExp(`stale bot ${left!.id}: .*call_ended`))
    expect(apply.stdout).toMatch(new RegExp(`stale bot ${foreign!.id}: .*newest recording changed`))
    expect(new Set(startsSince(sandbox, seq).map(botOfStart))).toEqual(new Set(rest.map((s) => s.id)))
    expect(recordingsOf(sandbox, left!.id)).toHaveLength(0)
    expect(recordingsOf(sandbox, foreign!.id)).toMatchObject([{metadata: {by: 'someone else'}}])
    for (const seed of rest) expect(stampedRecordingsOf(sandbox, seed.id)).toHaveLength(1)
  })

  it('counts a bot started since the plan with the planned body as already applied, and exits 0', async () => {
    const sandbox = await testSandbox()
    const seeds = botsInCall(3)
    sandbox.seed(seeds)
    const ids = seeds.map((s) => s.id)
    const project = testProject(sandbox, ids)
    await savedPlan(project)
    // An earlier, interrupted run (here: an apply of one bot, without the file) started the first one.
    const first = await runCli(project, ['apply', '--auto-approve', '--target', ids[0]!])
    expect(first.code, first.stderr).toBe(0)
    const seq = lastSeq(sandbox)

    const apply = await runCli(project, ['apply', 'plan.json', '--auto-approve', '--json'])
    expect(apply.code, apply.stderr).toBe(0)
    const events = apply.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>)
    expect(events.filter((e) => e['type'] === 'call_already_applied')).toEqual([
      {type: 'call_already_applied', bot_id: ids[0], reason: expect.stringMatching(/already records the planned body/)},
    ])
    expect(events.at(-1)!['summary']).toMatchObject({started: 2, already_applied: 1, stale: 0, verified: true})
    expect(new Set(startsSince(sandbox, seq).map(botOfStart))).toEqual(new Set(ids.slice(1)))
    for (const id of ids) expect(stampedRecordingsOf(sandbox, id), `bot ${id}`).toHaveLength(1)
  })

  it('exits 1 when every planned call is stale', async () => {
    const sandbox = await testSandbox()
    const [bot] = botsInCall(1)
    sandbox.seed([bot!])
    const project = testProject(sandbox, [bot!.id])
    await savedPlan(project)
    sandbox.setStatus(bot!.id, 'call_ended')
    const seq = lastSeq(sandbox)

    const apply = await runCli(project, ['apply', 'plan.json', '--auto-approve'])
    expect(apply.code).toBe(1)
    expect(apply.stdout).toMatch(/0 started, 0 restarted, 1 skipped as stale/)
    expect(startsSince(sandbox, seq)).toEqual([])
  })
})

describe('apply PLANFILE: a config that changed since the plan refuses the whole plan', () => {
  it('names the bots, exits 1 and makes no call', async () => {
    const {sandbox, ids, project} = await seededProject(3)
    await savedPlan(project)
    project.write('recordings/e2e.yaml', defaultRecordings(ids, 48))
    const seq = lastSeq(sandbox)

    const apply = await runCli(project, ['apply', 'plan.json', '--auto-approve'])
    expect(apply.code).toBe(1)
    expect(apply.stderr).toMatch(/config changed since the plan/)
    for (const id of ids) expect(apply.stderr).toContain(id)
    expect(sandbox.requests(seq)).toEqual([])
    for (const id of ids) expect(recordingsOf(sandbox, id)).toHaveLength(0)
  })
})

describe('the restart guard', () => {
  it('refuses a plan that restarts a recording, naming the bot, before any call', async () => {
    const sandbox = await testSandbox()
    const running = recordingOldProfile()
    const [idle] = botsInCall(1)
    sandbox.seed([running, idle!])
    const project = testProject(sandbox, [running.id, idle!.id])

    const apply = await runCli(project, ['apply', '--auto-approve'])
    expect(apply.code).toBe(1)
    expect(apply.stderr).toMatch(/refused, no call was made/)
    expect(apply.stderr).toContain(running.id)
    expect(apply.stderr).not.toContain(idle!.id)
    expect(apply.stderr).toContain('--allow-restart')
    expect(sandbox.requests().filter(isStartRecording)).toEqual([])

    // The same for a saved plan: refused before it reads anything.
    await savedPlan(project)
    const seq = lastSeq(sandbox)
    const saved = await runCli(project, ['apply', 'plan.json', '--auto-approve'])
    expect(saved.code).toBe(1)
    expect(saved.stderr).toContain(running.id)
    expect(sandbox.requests(seq)).toEqual([])
    expect(recordingsOf(sandbox, running.id)).toHaveLength(1)
  })

  it('restarts with --allow-restart: a new stamped recording, the old one no longer running', async () => {
    const sandbox = await testSandbox()
    const running = recordingOldProfile()
    sandbox.seed([running])
    const project = testProject(sandbox, [running.id])

    const apply = await runCli(project, ['apply', '--auto-approve', '--allow-restart'])
    expect(apply.code).toBe(0)
    expect(apply.stdout).toMatch(/0 started, 1 restarted/)
    const recordings = recordingsOf(sandbox, running.id)
    expect(recordings).toHaveLength(2)
    expect(recordings[0]!.status.code).not.toBe('processing')
    expect(recordings[1]).toMatchObject({status: {code: 'processing'}, metadata: {recallctl_profile: 'e2e', team: 'e2e'}})
    expect(recordings[1]!.metadata['recallctl_digest']).not.toBe('v1:00000000000000000000000000000000')
    expect((await runCli(project, ['plan', '--detailed-exitcode'])).code).toBe(0)
  })

  it('restarts when the config sets apply.allow_restart', async () => {
    const sandbox = await testSandbox()
    const running = recordingOldProfile()
    sandbox.seed([running])
    const project = testProject(sandbox, [running.id], {allowRestart: true})
    const apply = await runCli(project, ['apply', '--auto-approve'])
    expect(apply.code).toBe(0)
    expect(stampedRecordingsOf(sandbox, running.id).map((r) => r.metadata['recallctl_profile'])).toEqual(['old', 'e2e'])
  })
})

describe('the non-interactive guard', () => {
  it('without --auto-approve and without a TTY: exit 1, says to pass --auto-approve, no call', async () => {
    const {sandbox, seeds, project} = await seededProject(2)
    const apply = await runCli(project, ['apply'])
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain('--auto-approve')
    expect(sandbox.requests().filter(isStartRecording)).toEqual([])
    for (const seed of seeds) expect(recordingsOf(sandbox, seed.id)).toHaveLength(0)
  })
})

describe('--expect-digest', () => {
  it('refuses a plan whose digest is not the reviewed one, before any request', async () => {
    const {sandbox, seeds, project} = await seededProject(2)
    const {plan_digest} = await savedPlan(project)
    const seq = lastSeq(sandbox)

    const wrong = await runCli(project, [
      'apply',
      'plan.json',
      '--auto-approve',
      '--expect-digest',
      'v1:ffffffffffffffffffffffffffffffff',
    ])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain(plan_digest)
    expect(wrong.stderr).toContain('v1:ffffffffffffffffffffffffffffffff')
    expect(sandbox.requests(seq)).toEqual([])

    const right = await runCli(project, ['apply', 'plan.json', '--auto-approve', '--expect-digest', plan_digest])
    expect(right.code).toBe(0)
    for (const seed of seeds) expect(stampedRecordingsOf(sandbox, seed.id)).toHaveLength(1)
  })
})

describe('missing and conflicting bots refuse before any call', () => {
  it('refuses a missing bot, and skips it with --ignore-missing', async () => {
    const sandbox = await testSandbox()
    const [present] = botsInCall(1)
    const absent = '0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e'
    sandbox.seed([present!])
    const project = testProject(sandbox, [present!.id, absent])

    const refused = await runCli(project, ['apply', '--auto-approve'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(absent)
    expect(refused.stderr).toContain('--ignore-missing')
    expect(sandbox.requests().filter(isStartRecording)).toEqual([])

    const skipped = await runCli(project, ['apply', '--auto-approve', '--ignore-missing'])
    expect(skipped.code).toBe(0)
    expect(stampedRecordingsOf(sandbox, present!.id)).toHaveLength(1)
  })

  it('refuses a bot claimed by an explicit assignment and a match selector', async () => {
    const sandbox = await testSandbox()
    const [claimed] = botsInCall(1)
    sandbox.seed([{...claimed!, metadata: {team: 'support'}}])
    const recordings = [
      'profiles:',
      '  e2e: { retention: { type: timed, hours: 24 } }',
      '  other: { retention: { type: forever } }',
      'assignments:',
      '  - profile: e2e',
      `    bots: [${claimed!.id}]`,
      '  - profile: other',
      '    match: { metadata: { team: support } }',
      '',
    ].join('\n')
    const project = testProject(sandbox, [], {recordings})

    const apply = await runCli(project, ['apply', '--auto-approve'])
    expect(apply.code).toBe(1)
    expect(apply.stderr).toMatch(/refused/)
    expect(apply.stderr).toContain(claimed!.id)
    expect(sandbox.requests().filter(isStartRecording)).toEqual([])
  })
})
