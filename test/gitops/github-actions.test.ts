import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {maskCommands} from '../../src/cli/terminal.js'
import {GITHUB_APPLY, GITHUB_PLAN, githubScript, githubStep, parseExample} from './support/examples.js'
import {FakePullRequest} from './support/github-script.js'
import {runScript, type Finished} from './support/processes.js'
import {
  BOT,
  HOOK_TOKEN,
  SECRETS,
  STARTS_ONLY,
  WITH_RESTART,
  githubEnv,
  openWorld,
  stepOutputs,
  withoutMaskCommands,
  type World,
} from './support/world.js'

/**
 * The example GitHub workflows' own steps, run as the runner runs them (bash -eo pipefail, GITHUB_*
 * files), with the built CLI against a sandbox; their github-script steps run against a fake pull request.
 */

const planWorkflow = parseExample(GITHUB_PLAN)
const applyWorkflow = parseExample(GITHUB_APPLY)
const stepRun = (workflow: Record<string, unknown>, job: string, step: string): string => {
  const script = githubStep(workflow, job, step).run
  if (script === undefined) throw new Error(`step ${step} has no run script`)
  return script
}
const COMMENT_SCRIPT = githubScript(githubStep(planWorkflow, 'plan', 'Comment the plan on the pull request'))
const FIND_REVIEWED_SCRIPT = githubScript(githubStep(applyWorkflow, 'apply-reviewed', 'reviewed'))
const MARKER_LINE = /^<!-- recallctl-plan v1 digest=(v1:[0-9a-f]{32}) -->$/
const WRONG_DIGEST = `v1:${'0'.repeat(32)}`

let world: World
beforeAll(async () => {
  world = await openWorld()
})
afterAll(async () => {
  await world?.close()
})

const planDigest = (): string => (JSON.parse(world.read('plan.json')) as {plan_digest: string}).plan_digest
const startCallFor = (bot: string): string => `/api/v1/bot/${bot}/start_recording/`

/** Runs the plan workflow's Plan step in a fresh GitHub environment. */
async function planOnPullRequest(): Promise<{result: Finished; env: ReturnType<typeof githubEnv>}> {
  const env = githubEnv(world)
  const result = await runScript(stepRun(planWorkflow, 'plan', 'plan'), {cwd: world.repo, env: env.env})
  return {result, env}
}

describe('the plan workflow on a pull request', () => {
  let validate: Finished
  let plan: Finished
  let gh: ReturnType<typeof githubEnv>
  beforeAll(async () => {
    world.scene(WITH_RESTART)
    gh = githubEnv(world)
    validate = await runScript(stepRun(planWorkflow, 'plan', 'validate'), {cwd: world.repo, env: gh.env})
    plan = await runScript(stepRun(planWorkflow, 'plan', 'plan'), {cwd: world.repo, env: gh.env})
  })

  it('validates, and counts "there are changes" (exit 2) as a successful step', () => {
    expect(validate.code, validate.stderr).toBe(0)
    expect(plan.code, plan.stderr).toBe(0)
    expect(stepOutputs(readFileSync(gh.output, 'utf8'))).toEqual({exitcode: '2', changes: 'true'})
  })

  it('writes the comment to plan.md: the marker line first, the restart stated', () => {
    const markdown = world.read('plan.md')
    expect(markdown.split('\n')[0]).toMatch(MARKER_LINE)
    expect(markdown).toContain('### ⚠️ Restarts (1)')
    expect(markdown).toContain(`\`${BOT.drifted}\``)
  })

  it("carries plan.json's plan_digest in the marker", () => {
    const digest = MARKER_LINE.exec(world.read('plan.md').split('\n')[0]!)?.[1]
    expect(digest).toBe(planDigest())
  })

  it('appends the plan, marker and restarts included, to the step summary', () => {
    const summary = readFileSync(gh.summary, 'utf8')
    expect(summary.split('\n')[0]).toBe(`<!-- recallctl-plan v1 digest=${planDigest()} -->`)
    expect(summary).toContain('### ⚠️ Restarts (1)')
    expect(summary.trimEnd()).toBe(world.read('plan.md').trimEnd())
  })

  it('registers ::add-mask:: for the API key and every ${env:} value, on stderr only', () => {
    for (const secret of SECRETS) expect(plan.stderr.split('\n')).toContain(`::add-mask::${secret}`)
    expect(validate.stderr.split('\n')).toContain(`::add-mask::${HOOK_TOKEN}`)
    expect(world.read('plan.md')).not.toContain('::add-mask::')
    expect(readFileSync(gh.summary, 'utf8')).not.toContain('::add-mask::')
  })

  it('lets no secret reach any output or file, apart from the mask commands', () => {
    const outputs: Record<string, string> = {
      'validate stdout': validate.stdout,
      'validate stderr': validate.stderr,
      'plan stdout': plan.stdout,
      'plan stderr': plan.stderr,
      'plan.md': world.read('plan.md'),
      'plan.json': world.read('plan.json'),
      'step summary': readFileSync(gh.summary, 'utf8'),
      GITHUB_OUTPUT: readFileSync(gh.output, 'utf8'),
    }
    for (const [where, text] of Object.entries(outputs)) for (const secret of SECRETS) expect(withoutMaskCommands(text), where).not.toContain(secret)
    // The values were there to leak: they show redacted where the recordings use them.
    expect(world.read('plan.json')).toContain('"url": "https://hooks.example.com/recall?token=<redacted>"')
    expect(world.read('plan.json')).toContain('"token": "<redacted>"')
  })

  it('keeps one comment on the pull request and updates it in place on the next push', async () => {
    const pr = new FakePullRequest(17)
    const human = pr.addComment('Looks fine. (The <!-- recallctl-plan comment above is the bot.)', {login: 'octocat', type: 'User'})
    const env = {PLAN_MARKDOWN: path.join(world.repo, 'plan.md'), PLAN_EXIT_CODE: '2'}
    await pr.run(COMMENT_SCRIPT, env, 101)
    await pr.run(COMMENT_SCRIPT, env, 102)
    expect(pr.writes.map((w) => w.kind)).toEqual(['create', 'update'])
    expect(pr.writes[1]!.id).toBe(pr.writes[0]!.id)
    expect(pr.comments).toHaveLength(2)
    const ours = pr.comments.find((c) => c.id === pr.writes[0]!.id)!
    expect(ours.body.startsWith(world.read('plan.md'))).toBe(true)
    expect(ours.body).toContain('<!-- recallctl-plan-run run_id=102 -->')
    expect(human.body).toBe('Looks fine. (The <!-- recallctl-plan comment above is the bot.)')
  })

  it('says so in the same comment when no plan could be made', async () => {
    const pr = new FakePullRequest(18)
    await pr.run(COMMENT_SCRIPT, {PLAN_MARKDOWN: path.join(world.repo, 'no-such-plan.md'), PLAN_EXIT_CODE: '1'})
    const [comment] = pr.comments
    expect(comment?.body.split('\n')[0]).toBe('<!-- recallctl-plan v1 digest=none -->')
    expect(comment?.body).toContain('recallctl could not make a plan (exit 1)')
  })
})

describe('the plan workflow when the plan fails', () => {
  it('fails the step with exit 1 but still leaves plan.md with the marker for the comment', async () => {
    world.scene(WITH_RESTART)
    const env = githubEnv(world)
    const {HOOK_TOKEN: _unset, ...withoutHookToken} = env.env
    const result = await runScript(stepRun(planWorkflow, 'plan', 'plan'), {cwd: world.repo, env: withoutHookToken})
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('::error title=recallctl plan::recallctl plan failed (exit 1)')
    expect(stepOutputs(readFileSync(env.output, 'utf8'))).toEqual({exitcode: '1'})
    expect(world.read('plan.md').split('\n')[0]).toMatch(MARKER_LINE)
    expect(world.read('plan.md')).toContain('HOOK\\_TOKEN')
    expect(world.startRecordingCalls()).toEqual([])
  })
})

describe('the apply workflow on push to main', () => {
  it('applies a plan of starts with --auto-approve, and the next push has nothing to apply', async () => {
    world.scene(STARTS_ONLY)
    const first = githubEnv(world)
    const plan = await runScript(stepRun(applyWorkflow, 'apply', 'plan'), {cwd: world.repo, env: first.env})
    expect(plan.code, plan.stderr).toBe(0)
    expect(stepOutputs(readFileSync(first.output, 'utf8'))).toEqual({changes: 'true'})
    const apply = await runScript(stepRun(applyWorkflow, 'apply', 'Apply'), {cwd: world.repo, env: first.env})
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain('Apply complete: 1 started, 0 restarted')
    expect(world.startRecordingCalls()).toEqual([startCallFor(BOT.idle)])

    const second = githubEnv(world)
    const again = await runScript(stepRun(applyWorkflow, 'apply', 'plan'), {cwd: world.repo, env: second.env})
    expect(again.code, again.stderr).toBe(0)
    expect(stepOutputs(readFileSync(second.output, 'utf8'))).toEqual({changes: 'false'})
    for (const text of [plan.stdout, plan.stderr, apply.stdout, apply.stderr]) for (const secret of SECRETS) expect(withoutMaskCommands(text)).not.toContain(secret)
  })

  it('refuses a plan that restarts a recording, before any call, naming the bot', async () => {
    world.scene(WITH_RESTART)
    const gh = githubEnv(world)
    expect((await runScript(stepRun(applyWorkflow, 'apply', 'plan'), {cwd: world.repo, env: gh.env})).code).toBe(0)
    const apply = await runScript(stepRun(applyWorkflow, 'apply', 'Apply'), {cwd: world.repo, env: gh.env})
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain(`the plan restarts the running recording of bot ${BOT.drifted}`)
    expect(apply.stderr).toContain('--allow-restart')
    expect(world.startRecordingCalls()).toEqual([])
  })
})

describe('the apply workflow by hand: the plan reviewed on a pull request', () => {
  /** The pull request's plan run: plan.json, plan.md and the comment; then the find step's outputs. */
  async function reviewedPlan(merged = true) {
    world.scene(WITH_RESTART)
    const {result} = await planOnPullRequest()
    expect(result.code, result.stderr).toBe(0)
    const pr = new FakePullRequest(21, merged)
    await pr.run(COMMENT_SCRIPT, {PLAN_MARKDOWN: path.join(world.repo, 'plan.md'), PLAN_EXIT_CODE: '2'}, 5150)
    return pr.run(FIND_REVIEWED_SCRIPT, {PR_NUMBER: '21'})
  }

  const applyReviewed = (env: {EXPECT_DIGEST: string; ALLOW_RESTART: string}) =>
    runScript(stepRun(applyWorkflow, 'apply-reviewed', 'Apply the reviewed plan'), {cwd: world.repo, env: githubEnv(world, env).env})

  it("reads the digest and the plan run from the pull request's comment", async () => {
    const found = await reviewedPlan()
    expect(found.failed).toBeUndefined()
    expect(found.outputs).toEqual({digest: planDigest(), run_id: '5150'})
  })

  it('stops when the pull request is not merged yet', async () => {
    const found = await reviewedPlan(false)
    expect(found.failed).toContain('Pull request #21 is not merged')
    expect(found.outputs).toEqual({})
  })

  it('refuses a plan whose digest is not the reviewed one: exit 1, no start_recording call', async () => {
    await reviewedPlan()
    const apply = await applyReviewed({EXPECT_DIGEST: WRONG_DIGEST, ALLOW_RESTART: 'true'})
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain(`the plan's digest is ${planDigest()}, not the reviewed ${WRONG_DIGEST}`)
    expect(world.startRecordingCalls()).toEqual([])
  })

  it('refuses the restart unless the reviewer ticked allow_restart', async () => {
    const found = await reviewedPlan()
    const apply = await applyReviewed({EXPECT_DIGEST: found.outputs['digest']!, ALLOW_RESTART: 'false'})
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain(BOT.drifted)
    expect(world.startRecordingCalls()).toEqual([])
  })

  it('applies exactly the reviewed plan with the right digest and allow_restart', async () => {
    const found = await reviewedPlan()
    const apply = await applyReviewed({EXPECT_DIGEST: found.outputs['digest']!, ALLOW_RESTART: 'true'})
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain('Apply complete: 1 started, 1 restarted')
    expect(world.startRecordingCalls().sort()).toEqual([startCallFor(BOT.idle), startCallFor(BOT.drifted)].sort())
    for (const text of [apply.stdout, apply.stderr]) for (const secret of SECRETS) expect(withoutMaskCommands(text)).not.toContain(secret)
  })
})

describe('::add-mask:: commands', () => {
  it('escape % so that the runner registers the secret itself, not an unescaped variant', () => {
    // The runner turns %25 into %, and %0A into a newline, in command data.
    expect(maskCommands(['ab%0Acd'])).toBe('::add-mask::ab%250Acd')
    expect(maskCommands(['100%'])).toBe('::add-mask::100%25')
  })

  it('mask a multi-line secret line by line, and skip blank lines', () => {
    expect(maskCommands(['-----BEGIN KEY-----\nMIIE\r\n\n-----END KEY-----']).split('\n')).toEqual([
      '::add-mask::-----BEGIN KEY-----',
      '::add-mask::MIIE',
      '::add-mask::-----END KEY-----',
    ])
  })
})
