import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ACTION, fakeGithub, installRecallctl, runAction} from './support/action.js'
import {BOT, SECRETS, STARTS_ONLY, WITH_RESTART, githubEnv, openWorld, withoutMaskCommands, type World} from './support/world.js'

/** The reusable GitHub Action (action.yml at the root), run step by step against a sandbox and a fake `gh`. */

const MARKER_LINE = /^<!-- recallctl-plan v1 digest=(v1:[0-9a-f]{32}) -->$/
const PULL_REQUEST = {number: 7, headSha: '0123456789abcdef0123456789abcdef01234567'}

let world: World
beforeAll(async () => {
  world = await openWorld()
  installRecallctl(world.repo)
})
afterAll(async () => {
  await world?.close()
})

const planDigest = (): string => (JSON.parse(world.read('plan.json')) as {plan_digest: string}).plan_digest

describe('action.yml', () => {
  it('is a composite action with the documented inputs and outputs', () => {
    expect(ACTION.runs.using).toBe('composite')
    expect(Object.keys(ACTION.inputs)).toEqual(expect.arrayContaining(['command', 'args', 'working-directory', 'comment']))
    expect(Object.keys(ACTION.outputs)).toEqual(expect.arrayContaining(['exit-code', 'plan-digest', 'has-changes']))
  })

  it('gives the GitHub token to the comment step alone', () => {
    const withToken = ACTION.runs.steps.filter((s) => Object.values(s.env ?? {}).some((v) => v.includes('github-token')))
    expect(withToken.map((s) => s.id)).toEqual(['comment'])
    for (const step of ACTION.runs.steps) expect(step.run).not.toContain('${{')
  })
})

describe('command: plan, comment: true, on a pull request', () => {
  it('plans, sets the outputs, writes the step summary, and keeps one sticky comment across pushes', async () => {
    world.scene(WITH_RESTART)
    const gh = fakeGithub(world.scratch(), [
      {
        id: 1,
        body: 'Looks fine. <!-- recallctl-plan mentioned by a person',
        user: {login: 'octocat', type: 'User'},
        html_url: 'x',
      },
    ])
    const first = githubEnv(world, gh.env)
    const run = await runAction(
      world,
      {command: 'plan', comment: 'true'},
      {env: first.env, pullRequest: PULL_REQUEST, ghBin: gh.bin},
    )
    expect(run.code, run.steps['run']?.stderr).toBe(0)
    expect(run.outputs).toMatchObject({'exit-code': '2', 'has-changes': 'true', 'plan-digest': planDigest()})
    expect(world.read('plan.md').split('\n')[0]).toMatch(MARKER_LINE)
    expect(readFileSync(first.summary, 'utf8')).toContain('### ⚠️ Restarts (1)')
    expect(gh.comments()).toHaveLength(2)
    const posted = gh.comments()[1]!
    expect(posted.body.startsWith(world.read('plan.md'))).toBe(true)
    expect(posted.body).toContain('<!-- recallctl-plan-run run_id=4242 -->')
    expect(run.outputs['comment-url']).toBe(posted.html_url)

    const second = githubEnv(world, {...gh.env, GITHUB_RUN_ID: '4343'})
    const again = await runAction(
      world,
      {command: 'plan', comment: 'true'},
      {env: second.env, pullRequest: PULL_REQUEST, ghBin: gh.bin},
    )
    expect(again.code, JSON.stringify(again.steps)).toBe(0)
    expect(gh.comments()).toHaveLength(2)
    expect(gh.comments()[1]!.body).toContain('run_id=4343')
    expect(gh.comments()[0]!.body).toBe('Looks fine. <!-- recallctl-plan mentioned by a person')
    expect(
      gh
        .calls()
        .filter((c) => c.args.includes('-X'))
        .map((c) => c.args[2]),
    ).toEqual(['POST', 'PATCH'])
    expect(gh.calls().every((c) => c.token)).toBe(true)

    const everything = [...Object.values(run.steps), ...Object.values(again.steps)].flatMap((s) => [s.stdout, s.stderr])
    everything.push(...gh.comments().map((c) => c.body), JSON.stringify(run.outputs), readFileSync(first.summary, 'utf8'))
    for (const text of everything) for (const secret of SECRETS) expect(withoutMaskCommands(text)).not.toContain(secret)
  })

  it('still comments when the plan fails, then fails the action with exit 1', async () => {
    world.scene(WITH_RESTART)
    const gh = fakeGithub(world.scratch())
    const {HOOK_TOKEN: _unset, ...env} = githubEnv(world, gh.env).env
    const run = await runAction(world, {command: 'plan', comment: 'true'}, {env, pullRequest: PULL_REQUEST, ghBin: gh.bin})
    expect(run.code).toBe(1)
    expect(run.outputs['exit-code']).toBe('1')
    expect(run.steps['result']?.stdout).toContain('::error title=recallctl plan::recallctl plan failed (exit 1)')
    expect(gh.comments()).toHaveLength(1)
    expect(gh.comments()[0]!.body.split('\n')[0]).toMatch(MARKER_LINE)
    expect(gh.comments()[0]!.body).toContain('HOOK\\_TOKEN')
    expect(world.startRecordingCalls()).toEqual([])
  })

  it('posts no comment outside a pull request, and none unless asked', async () => {
    world.scene(STARTS_ONLY)
    const gh = fakeGithub(world.scratch())
    const push = await runAction(world, {command: 'plan', comment: 'true'}, {env: githubEnv(world, gh.env).env, ghBin: gh.bin})
    expect(push.code).toBe(0)
    expect(push.steps['comment']?.stdout).toContain('not a pull request')
    const quiet = await runAction(
      world,
      {command: 'plan'},
      {env: githubEnv(world, gh.env).env, pullRequest: PULL_REQUEST, ghBin: gh.bin},
    )
    expect(quiet.code).toBe(0)
    expect(quiet.outputs).toMatchObject({'exit-code': '2', 'has-changes': 'true'})
    expect(gh.calls()).toEqual([])
  })
})

describe('command: apply', () => {
  it('applies the plan file given in args, with its digest as output and its report in the step summary', async () => {
    world.scene(STARTS_ONLY)
    const plan = await runAction(world, {command: 'plan'}, {env: githubEnv(world).env})
    expect(plan.outputs['has-changes']).toBe('true')
    const gh = githubEnv(world)
    const apply = await runAction(world, {command: 'apply', args: 'plan.json --auto-approve'}, {env: gh.env})
    expect(apply.code, apply.steps['run']?.stderr).toBe(0)
    expect(apply.outputs).toMatchObject({'exit-code': '0', 'plan-digest': plan.outputs['plan-digest'], 'has-changes': 'true'})
    expect(readFileSync(gh.summary, 'utf8')).toMatch(/### recallctl apply \(exit 0\)[\s\S]*Apply complete: 1 started/)
    expect(world.startRecordingCalls()).toEqual([`/api/v1/bot/${BOT.idle}/start_recording/`])

    const next = await runAction(world, {command: 'plan'}, {env: githubEnv(world).env})
    expect(next.outputs).toMatchObject({'exit-code': '0', 'has-changes': 'false'})
  })

  it('fails the action when apply refuses (a restart without --allow-restart), and makes no call', async () => {
    world.scene(WITH_RESTART)
    await runAction(world, {command: 'plan'}, {env: githubEnv(world).env})
    const apply = await runAction(world, {command: 'apply', args: 'plan.json --auto-approve'}, {env: githubEnv(world).env})
    expect(apply.code).toBe(1)
    expect(apply.outputs['exit-code']).toBe('1')
    expect(apply.steps['run']?.stderr).toContain(BOT.drifted)
    expect(world.startRecordingCalls()).toEqual([])
  })

  it('refuses an unknown command', async () => {
    const run = await runAction(world, {command: 'destroy'}, {env: githubEnv(world).env})
    expect(run.code).toBe(1)
    expect(run.steps['run']?.stdout).toContain('the command input must be plan or apply')
  })

  it('runs in working-directory', async () => {
    world.scene(STARTS_ONLY)
    const run = await runAction(world, {command: 'plan', 'working-directory': 'recordings/..'}, {env: githubEnv(world).env})
    expect(run.code).toBe(0)
    expect(path.isAbsolute(world.repo)).toBe(true)
  })
})
