import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach} from 'vitest'
import type {RunningSandbox} from '../../src/sandbox/index.js'
import {cliEnv} from './cli.js'

/**
 * The one project builder of the end-to-end tests: a temporary folder holding recall.config.yaml (pointed
 * at a sandbox the test started, or at the embedded one with `base_url: sandbox`), a recordings file and
 * any other file the test wants, and the environment the CLI runs with there.
 */

/** The variable the temp project's config names for the key. */
export const KEY_ENV = 'E2E_RECALL_API_KEY'

export interface ProjectOptions {
  /** Lines under `rate_limits:` (requests per window); the schema's defaults otherwise. */
  rateLimits?: {start_recording?: number; retrieve_bot?: number; list_bots?: number}
  /** `apply.concurrency`: default 8; 'auto' leaves it unset (the CLI's automatic concurrency). */
  concurrency?: number | 'auto'
  allowRestart?: boolean
  /** The recordings file `recordings/e2e.yaml`; default: profile `e2e` assigned to `bots`; null: no such file. */
  recordings?: string | null
  /** More files of the project (relative path → text), written after the config and recordings. */
  files?: Readonly<Record<string, string>>
  /** The variable `api.api_key_env` names (default KEY_ENV); set to the sandbox's key in `env`. */
  keyEnv?: string
  /** `api.webhook_secret_env`, when the project has one. */
  webhookSecretEnv?: string
  /** More variables of every CLI run. */
  env?: NodeJS.ProcessEnv
  /** 'test' (default): removed when the test ends; 'suite': the caller removes it (a project made in beforeAll). */
  lifetime?: 'test' | 'suite'
  /** The project lives in `<temp>/<subdir>` (e.g. 'repo', beside a scratch folder); default: the temp folder itself. */
  subdir?: string
}

export interface TestProject {
  dir: string
  /** The temp folder the project lives in (== dir unless `subdir`); removed with the project. */
  root: string
  /** Rewrites a file of the project (relative path). */
  write(file: string, text: string): void
  /** Environment of every CLI run: the key, production mode, no CI/colour surprises. */
  env: NodeJS.ProcessEnv
  /** Removes the folder (done for you at test end unless `lifetime: 'suite'`). */
  remove(): void
}

const dirs: string[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

/** The default profile: a small explicit body whose digest the tests do not care about. */
export function defaultRecordings(bots: readonly string[], hours = 24): string {
  return [
    'profiles:',
    '  e2e:',
    `    retention: { type: timed, hours: ${hours} }`,
    '    metadata: { team: e2e }',
    'assignments:',
    '  - profile: e2e',
    '    bots:',
    ...bots.map((id) => `      - ${id}`),
    '',
  ].join('\n')
}

/** A temporary folder with no file at all (for `init`, `import`, or a test writing every file itself). */
export function emptyProject(options: Pick<ProjectOptions, 'env' | 'lifetime'> = {}): TestProject {
  const root = mkdtempSync(path.join(tmpdir(), 'recallctl-e2e-'))
  if (options.lifetime !== 'suite') dirs.push(root)
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), {recursive: true})
    writeFileSync(path.join(root, file), text)
  }
  return {dir: root, root, write, env: cliEnv(root, options.env), remove: () => rmSync(root, {recursive: true, force: true})}
}

/** recall.config.yaml for `target`. */
export function projectConfig(target: RunningSandbox | 'sandbox', options: ProjectOptions = {}): string {
  const limits = options.rateLimits ?? {}
  const embedded = target === 'sandbox'
  return [
    'version: 1',
    'api:',
    embedded ? '  base_url: sandbox' : `  base_url: "${target.url}"`,
    ...(embedded ? [] : [`  api_key_env: ${options.keyEnv ?? KEY_ENV}`]),
    ...(options.webhookSecretEnv === undefined ? [] : [`  webhook_secret_env: ${options.webhookSecretEnv}`]),
    'recordings: ["recordings/**/*.yaml"]',
    'rate_limits:',
    `  start_recording: ${limits.start_recording ?? 300}`,
    `  retrieve_bot: ${limits.retrieve_bot ?? 300}`,
    `  list_bots: ${limits.list_bots ?? 60}`,
    'apply:',
    ...(options.concurrency === 'auto' ? [] : [`  concurrency: ${options.concurrency ?? 8}`]),
    `  allow_restart: ${options.allowRestart ?? false}`,
    '',
  ].join('\n')
}

/** A temporary project pointing `api.base_url` at the sandbox (its key in the key variable), or at the embedded one. */
export function testProject(
  target: RunningSandbox | 'sandbox',
  bots: readonly string[] = [],
  options: ProjectOptions = {},
): TestProject {
  const root = mkdtempSync(path.join(tmpdir(), 'recallctl-e2e-'))
  if (options.lifetime !== 'suite') dirs.push(root)
  const dir = options.subdir === undefined ? root : path.join(root, options.subdir)
  mkdirSync(dir, {recursive: true})
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), {recursive: true})
    writeFileSync(path.join(dir, file), text)
  }
  write('recall.config.yaml', projectConfig(target, options))
  if (options.recordings !== null) write('recordings/e2e.yaml', options.recordings ?? defaultRecordings(bots))
  for (const [file, text] of Object.entries(options.files ?? {})) write(file, text)
  // Only what the run needs, never the test runner's environment: no stray RECALLCTL_* flag, no CI or
  // GitHub Actions variables changing the output.
  const key = target === 'sandbox' ? {} : {[options.keyEnv ?? KEY_ENV]: target.apiKey}
  const env = cliEnv(root, {...key, ...options.env})
  return {dir, root, write, env, remove: () => rmSync(root, {recursive: true, force: true})}
}
