import type {ChildProcess} from 'node:child_process'
import {createHmac} from 'node:crypto'
import type {RunningSandbox} from '../../src/sandbox/index.js'
import {projectConfig, startCli, testProject, until, type TestProject} from '../support/e2e.js'

/** The variable the watch test projects name in `api.webhook_secret_env`. */
export const SECRET_ENV = 'E2E_WEBHOOK_SECRET'
export const WEBHOOK_SECRET = 'whsec_ZTJlIHdhdGNoIHdlYmhvb2sgc2VjcmV0IDEyMzQ1Njc4'

/** The sandbox's rate window for these tests, and the CLI's (30% longer: see test/apply/converge.e2e.test.ts). */
export const SANDBOX_WINDOW_MS = 1_000
export const CLI_WINDOW_MS = 1_300

export const recordingsFor = (bots: readonly string[], profile = 'e2e', team = 'e2e') =>
  [
    'profiles:',
    `  ${profile}:`,
    '    retention: { type: timed, hours: 24 }',
    `    metadata: { team: ${team} }`,
    'assignments:',
    `  - profile: ${profile}`,
    '    bots:',
    ...bots.map((id) => `      - ${id}`),
    '',
  ].join('\n')

export interface WatchConfigOptions {
  webhookSecretEnv?: boolean
  allowRestart?: boolean
  /** Lines under `rate_limits:` (requests per window). */
  rateLimits?: {start_recording?: number; retrieve_bot?: number; list_bots?: number}
}

export function watchConfig(sandbox: RunningSandbox, options: WatchConfigOptions = {}): string {
  const {webhookSecretEnv, ...rest} = options
  return projectConfig(sandbox, {...rest, concurrency: 4, ...(webhookSecretEnv === false ? {} : {webhookSecretEnv: SECRET_ENV})})
}

/** A project for watch: the default profile `e2e` assigned to `bots`, the webhook secret in its variable. */
export function watchProject(
  sandbox: RunningSandbox,
  bots: readonly string[],
  options: WatchConfigOptions & {recordings?: string} = {},
): TestProject {
  const {webhookSecretEnv, recordings, ...rest} = options
  return testProject(sandbox, bots, {
    ...rest,
    concurrency: 4,
    ...(webhookSecretEnv === false ? {} : {webhookSecretEnv: SECRET_ENV}),
    recordings: recordings ?? recordingsFor(bots),
    env: {[SECRET_ENV]: WEBHOOK_SECRET, RECALLCTL_RATE_WINDOW_MS: String(CLI_WINDOW_MS), DEBUG: 'recallctl'},
  })
}

export type LogLine = Record<string, unknown> & {time: string; level: string; event: string}

export interface WatchProcess {
  child: ChildProcess
  /** Every stdout line, parsed (JSON logs). */
  lines: LogLine[]
  /** stdout lines that were not JSON objects with time, level and event. */
  malformed: string[]
  stdout: () => string
  stderr: () => string
  /** Resolves with the first log line that satisfies `check`, waiting up to `timeoutMs`. */
  waitFor(check: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>
  /** Log lines of an event. */
  events(event: string): LogLine[]
  /** The port of `--listen`, from its `listening` line. */
  port(): Promise<number>
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

/** Spawns the built CLI's `watch --log-format json` in the project, with `args`. */
export function startWatch(project: TestProject, args: readonly string[], env: NodeJS.ProcessEnv = {}): WatchProcess {
  const running = startCli(['watch', '--log-format', 'json', ...args], {
    cwd: project.dir,
    env: {...project.env, ...env},
    timeoutMs: 10 * 60_000,
  })
  const child = running.child
  const lines: LogLine[] = []
  const malformed: string[] = []
  const stdout = () => running.stdout()
  const stderr = () => running.stderr()
  let pending = ''
  running.onStdout((chunk) => {
    pending += chunk
    const parts = pending.split('\n')
    pending = parts.pop() ?? ''
    for (const text of parts) {
      if (text.trim() === '') continue
      try {
        const line = JSON.parse(text) as LogLine
        if (typeof line.time === 'string' && typeof line.level === 'string' && typeof line.event === 'string') lines.push(line)
        else malformed.push(text)
      } catch {
        malformed.push(text)
      }
    }
  })
  const exited = running.exited.then(({code, signal}) => ({code, signal}))
  const waitFor = async (check: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> => {
    try {
      await until(() => lines.some(check) || child.exitCode !== null, timeoutMs)
    } catch {
      throw new Error(`no such log line in ${timeoutMs} ms. Log so far:\n${stdout()}\nstderr:\n${stderr()}`)
    }
    const found = lines.find(check)
    if (!found)
      throw new Error(`watch exited (${child.exitCode}) before the log line came. Log:\n${stdout()}\nstderr:\n${stderr()}`)
    return found
  }
  return {
    child,
    lines,
    malformed,
    stdout,
    stderr,
    waitFor,
    events: (event) => lines.filter((l) => l.event === event),
    async port() {
      const line = await waitFor((l) => l.event === 'listening')
      return Number(line['port'])
    },
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}

/** Waits until the watcher has completed `count` more passes than it had when called. */
export async function morePasses(watch: WatchProcess, count: number): Promise<void> {
  const seen = watch.events('pass_complete').length
  await watch.waitFor(() => watch.events('pass_complete').length >= seen + count)
}

/** The test's own Svix signer, written from Recall's NOTES (independent of src/). */
export function signedHeaders(body: string, options: {id: string; timestamp?: number; secret?: string}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  const key = Buffer.from((options.secret ?? WEBHOOK_SECRET).slice('whsec_'.length), 'base64')
  const signature = createHmac('sha256', key).update(`${options.id}.${timestamp}.${body}`).digest('base64')
  return {
    'content-type': 'application/json',
    'webhook-id': options.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  }
}

/** Recall's bot status event body. */
export const botEvent = (botId: string, code: string) =>
  JSON.stringify({
    event: `bot.${code}`,
    data: {data: {code, sub_code: null, updated_at: new Date().toISOString()}, bot: {id: botId, metadata: {}}},
  })

/** POSTs a webhook to the watcher. */
export async function postWebhook(
  port: number,
  body: string,
  headers: Record<string, string>,
): Promise<{status: number; body: unknown}> {
  const response = await fetch(`http://127.0.0.1:${port}/recall/webhooks`, {method: 'POST', headers, body})
  return {status: response.status, body: await response.json()}
}

/** Requests the sandbox logged about one bot (its reads and its calls). */
export const requestsFor = (sandbox: RunningSandbox, botId: string, since = 0) =>
  sandbox.requests(since).filter((e) => e.path.includes(botId))
