import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {startSandbox, type RunningSandbox, type SandboxBotSeed} from '../../../src/sandbox/index.js'
import {testProject} from '../../support/e2e.js'

/**
 * A repository as a CI runner checks it out: recall.config.yaml pointing at a loopback sandbox, a
 * recordings file whose webhook URL and `token` metadata come from `${env:HOOK_TOKEN}`, and the secrets
 * a pipeline would inject. Each test resets the sandbox to one of the scenes below.
 */

/** The workspace API key: the sandbox accepts only it. Looks like a real key on purpose. */
export const API_KEY = 'rk_live_7QvX2mN9pL4sT8wZ3cY6'
export const HOOK_TOKEN = 'hk_5Jd8Rq2Lm7Wx4Tz9Bn3V'
export const SECRETS = [API_KEY, HOOK_TOKEN] as const

export const BOT = {
  /** In the call, not recording: plan starts it. */
  idle: '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c',
  /** Recording on its own since it joined (no recallctl stamp, other body): plan restarts it. */
  drifted: '0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e',
  /** Still joining: pending. */
  joining: '9c3e7a1f-5b2d-4e8c-a6f0-1d3b5c7e9a2b',
} as const

/** One start and one restart. */
export const WITH_RESTART: readonly SandboxBotSeed[] = [
  {id: BOT.idle, status: 'in_call_not_recording', metadata: {team: 'sales'}},
  {id: BOT.drifted, status: 'in_call_recording', metadata: {team: 'sales'}},
  {id: BOT.joining, status: 'joining_call', metadata: {team: 'sales'}},
]

/** One start; nothing running, so nothing to restart. */
export const STARTS_ONLY: readonly SandboxBotSeed[] = [
  {id: BOT.idle, status: 'in_call_not_recording', metadata: {team: 'sales'}},
  {id: BOT.drifted, status: 'joining_call', metadata: {team: 'sales'}},
  {id: BOT.joining, status: 'joining_call', metadata: {team: 'sales'}},
]

const recordingsFile = `profiles:
  sales:
    transcript: { provider: { recallai_streaming: { language_code: en } } }
    retention: { type: timed, hours: 720 }
    realtime_endpoints:
      - { type: webhook, url: "https://hooks.example.com/recall?token=\${env:HOOK_TOKEN}", events: [transcript.data] }
    metadata: { team: sales, token: "\${env:HOOK_TOKEN}" }
assignments:
  - profile: sales
    bots: [${BOT.idle}, ${BOT.drifted}, ${BOT.joining}]
`

export interface World {
  sandbox: RunningSandbox
  /** The checked-out repository: recall.config.yaml and recordings/. */
  repo: string
  /** A scratch directory per test: step summary, GITHUB_OUTPUT. */
  scratch(): string
  /** The environment of a CI job: secrets, CI variables, nothing from the test process but PATH. */
  env(extra?: Record<string, string>): Record<string, string>
  scene(seeds: readonly SandboxBotSeed[]): void
  /** POST start_recording requests the sandbox received since the last scene. */
  startRecordingCalls(): string[]
  read(file: string): string
  close(): Promise<void>
}

export async function openWorld(): Promise<World> {
  const sandbox = await startSandbox({apiKey: API_KEY})
  // The one project builder; the world outlives a test (opened in beforeAll), so it removes the folder itself.
  const project = testProject(sandbox, [], {
    lifetime: 'suite',
    subdir: 'repo',
    keyEnv: 'RECALL_API_KEY',
    concurrency: 'auto',
    recordings: null,
    files: {'recordings/sales.yaml': recordingsFile},
  })
  const root = project.root
  const repo = project.dir
  const home = path.join(root, 'home')
  mkdirSync(home)
  let scratchCount = 0
  let logMark = 0
  return {
    sandbox,
    repo,
    scratch() {
      const dir = path.join(root, `scratch-${++scratchCount}`)
      mkdirSync(dir)
      return dir
    },
    env: (extra = {}) => ({
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      NODE_ENV: 'production',
      RECALL_API_KEY: API_KEY,
      HOOK_TOKEN,
      CI: 'true',
      ...extra,
    }),
    scene(seeds) {
      sandbox.reset(seeds)
      logMark = sandbox.requests().at(-1)?.seq ?? 0
      for (const file of ['plan.json', 'plan.md']) rmSync(path.join(repo, file), {force: true})
    },
    startRecordingCalls: () =>
      sandbox
        .requests(logMark)
        .filter((r) => r.method === 'POST' && r.path.includes('/start_recording'))
        .map((r) => r.path),
    read: (file) => readFileSync(path.resolve(repo, file), 'utf8'),
    async close() {
      await sandbox.close()
      project.remove()
    },
  }
}

/** The GitHub Actions variables a step sees, with a fresh step summary and output file. */
export function githubEnv(
  world: World,
  extra: Record<string, string> = {},
): {env: Record<string, string>; summary: string; output: string} {
  const dir = world.scratch()
  const summary = path.join(dir, 'step-summary.md')
  const output = path.join(dir, 'github-output')
  writeFileSync(summary, '')
  writeFileSync(output, '')
  return {
    env: world.env({GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, ...extra}),
    summary,
    output,
  }
}

/** `::add-mask::` lines are the one place a secret may appear: they are how the runner learns it. */
export const withoutMaskCommands = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')

/** Key=value lines of a GITHUB_OUTPUT file. */
export function stepOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const at = line.indexOf('=')
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1)
  }
  return outputs
}
