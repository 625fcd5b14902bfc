import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {GITLAB_CI, gitlabJob, parseExample} from './support/examples.js'
import {runScript} from './support/processes.js'
import {BOT, SECRETS, STARTS_ONLY, WITH_RESTART, openWorld, withoutMaskCommands, type World} from './support/world.js'

/**
 * The example GitLab jobs' scripts, run as the runner runs them (one bash, -eo pipefail), with the built
 * CLI against a sandbox and the merge-request notes API answered by a fake GitLab.
 */

const pipeline = parseExample(GITLAB_CI)
const jobScript = (job: string): string => gitlabJob(pipeline, job).script.join('\n')

interface Note {
  id: number
  body: string
}

/** GET/POST/PUT /api/v4/projects/:id/merge_requests/:iid/notes, with the token checked. */
class FakeGitlab {
  readonly notes: Note[] = [{id: 1, body: 'Please check the retention change.'}]
  readonly writes: string[] = []
  private server: Server | undefined
  url = ''

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let raw = ''
      request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      request.on('end', () => {
        const send = (status: number, body: unknown) => {
          response.writeHead(status, {'content-type': 'application/json'})
          response.end(JSON.stringify(body))
        }
        if (request.headers['private-token'] !== 'glpat-note-token') return send(401, {message: '401 Unauthorized'})
        const url = new URL(request.url ?? '/', 'http://gitlab')
        const match = /^\/api\/v4\/projects\/42\/merge_requests\/9\/notes(?:\/(\d+))?$/.exec(url.pathname)
        if (!match) return send(404, {message: '404 Not found'})
        if (request.method === 'GET') {
          const page = Number(url.searchParams.get('page') ?? '1')
          const size = Number(url.searchParams.get('per_page') ?? '20')
          return send(200, this.notes.slice((page - 1) * size, page * size))
        }
        const {body} = JSON.parse(raw) as {body: string}
        if (request.method === 'POST' && !match[1]) {
          const note = {id: 100 + this.notes.length, body}
          this.notes.push(note)
          this.writes.push(`create ${note.id}`)
          return send(201, note)
        }
        const note = this.notes.find((n) => n.id === Number(match[1]))
        if (request.method === 'PUT' && note) {
          note.body = body
          this.writes.push(`update ${note.id}`)
          return send(200, note)
        }
        return send(404, {message: '404 Not found'})
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/v4`
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}

let world: World
const gitlab = new FakeGitlab()
beforeAll(async () => {
  world = await openWorld()
  await gitlab.start()
})
afterAll(async () => {
  await world?.close()
  await gitlab.close()
})

const gitlabEnv = (extra: Record<string, string> = {}) =>
  world.env({
    GITLAB_CI: 'true',
    CI_API_V4_URL: gitlab.url,
    CI_PROJECT_ID: '42',
    CI_MERGE_REQUEST_IID: '9',
    CI_PIPELINE_URL: 'https://gitlab.example.com/acme/recordings/-/pipelines/77',
    ...extra,
  })

describe('recallctl:plan on a merge request', () => {
  it('succeeds on "changes" (exit 2) and leaves plan.md and plan.json', async () => {
    world.scene(WITH_RESTART)
    const result = await runScript(jobScript('recallctl:plan'), {cwd: world.repo, env: gitlabEnv()})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('recallctl plan exited 2')
    expect(world.read('plan.md')).toMatch(/^<!-- recallctl-plan v1 digest=v1:[0-9a-f]{32} -->\n/)
    expect(world.read('plan.md')).toContain('### ⚠️ Restarts (1)')
    expect(JSON.parse(world.read('plan.json'))).toHaveProperty('format_version', 1)
    expect(gitlab.writes).toEqual([])
  })

  it('with RECALLCTL_NOTE_TOKEN, posts one note and updates it on the next push', async () => {
    world.scene(WITH_RESTART)
    const env = gitlabEnv({RECALLCTL_NOTE_TOKEN: 'glpat-note-token'})
    const first = await runScript(jobScript('recallctl:plan'), {cwd: world.repo, env})
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain('Posted the plan note.')
    world.scene(STARTS_ONLY)
    const second = await runScript(jobScript('recallctl:plan'), {cwd: world.repo, env})
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain('Updated the plan note.')

    expect(gitlab.writes).toEqual(['create 101', 'update 101'])
    const note = gitlab.notes.find((n) => n.id === 101)!
    expect(note.body.startsWith(world.read('plan.md'))).toBe(true)
    expect(note.body).not.toContain('Restarts')
    expect(gitlab.notes[0]!.body).toBe('Please check the retention change.')
    for (const secret of SECRETS)
      for (const text of [note.body, first.stdout, first.stderr]) expect(withoutMaskCommands(text)).not.toContain(secret)
  })

  it('fails the job on a plan error (exit 1), after keeping plan.md', async () => {
    world.scene(WITH_RESTART)
    const {HOOK_TOKEN: _unset, ...env} = gitlabEnv()
    const result = await runScript(jobScript('recallctl:plan'), {cwd: world.repo, env})
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('recallctl plan exited 1')
    expect(world.read('plan.md')).toContain('HOOK\\_TOKEN')
  })
})

describe('recallctl:apply on the default branch', () => {
  it('plans and applies, and exits 0 with nothing to do the next time', async () => {
    world.scene(STARTS_ONLY)
    const first = await runScript(jobScript('recallctl:apply'), {cwd: world.repo, env: gitlabEnv()})
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain('Apply complete: 1 started')
    expect(world.startRecordingCalls()).toEqual([`/api/v1/bot/${BOT.idle}/start_recording/`])
    const second = await runScript(jobScript('recallctl:apply'), {cwd: world.repo, env: gitlabEnv()})
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain('No changes. Nothing to apply.')
    expect(world.startRecordingCalls()).toHaveLength(1)
  })

  it('refuses restarts; the manual job applies them, only the plan reviewed on the merge request', async () => {
    world.scene(WITH_RESTART)
    const review = await runScript(jobScript('recallctl:plan'), {cwd: world.repo, env: gitlabEnv()})
    expect(review.code, review.stderr).toBe(0)
    const reviewed = (JSON.parse(world.read('plan.json')) as {plan_digest: string}).plan_digest

    const automatic = await runScript(jobScript('recallctl:apply'), {cwd: world.repo, env: gitlabEnv()})
    expect(automatic.code).toBe(1)
    expect(automatic.stderr).toContain(`the plan restarts the running recording of bot ${BOT.drifted}`)
    expect(world.startRecordingCalls()).toEqual([])

    const manualVars = gitlabJob(pipeline, 'recallctl:apply-restarts').variables ?? {}
    const wrong = await runScript(jobScript('recallctl:apply-restarts'), {
      cwd: world.repo,
      env: gitlabEnv({...manualVars, RECALLCTL_APPLY_EXPECT_DIGEST: `v1:${'0'.repeat(32)}`}),
    })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('not the reviewed v1:000')
    expect(world.startRecordingCalls()).toEqual([])

    const manual = await runScript(jobScript('recallctl:apply-restarts'), {
      cwd: world.repo,
      env: gitlabEnv({...manualVars, RECALLCTL_APPLY_EXPECT_DIGEST: reviewed}),
    })
    expect(manual.code, manual.stderr).toBe(0)
    expect(manual.stdout).toContain('Apply complete: 1 started, 1 restarted')
  })
})
