import {chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'yaml'
import {REPO_ROOT} from './examples.js'
import {BIN, run, type Finished} from './processes.js'
import {stepOutputs, type World} from './world.js'

/**
 * Runs the repository's composite action (action.yml) as the runner does: each step in order, with its
 * `env:` expressions filled in from the inputs, the earlier steps' outputs and the pull request, in
 * `bash --noprofile --norc -eo pipefail`, $GITHUB_ACTION_PATH at the repository root. `gh` is a fake
 * that keeps a pull request's comments in a JSON file.
 */

interface ActionStep {
  id: string
  shell: string
  run: string
  'working-directory'?: string
  env?: Record<string, string>
}
interface ActionFile {
  inputs: Record<string, {default?: string}>
  outputs: Record<string, {value: string}>
  runs: {using: string; steps: ActionStep[]}
}

export const ACTION = parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8'), {
  uniqueKeys: true,
  strict: true,
}) as ActionFile

export interface PullRequestComments {
  comments: Array<{id: number; body: string; user: {login: string; type: string}; html_url: string}>
}

const FAKE_GH = `#!/usr/bin/env node
const fs = require('fs')
const file = process.env.FAKE_GH_STATE
const state = JSON.parse(fs.readFileSync(file, 'utf8'))
const args = process.argv.slice(2)
fs.appendFileSync(file + '.log', JSON.stringify({args, token: Boolean(process.env.GH_TOKEN)}) + '\\n')
if (!process.env.GH_TOKEN) { console.error('gh: GH_TOKEN is not set'); process.exit(4) }
if (args[0] !== 'api') process.exit(2)
const method = args[1] === '-X' ? args[2] : 'GET'
const route = args[1] === '-X' ? args[3] : args[1]
const save = () => fs.writeFileSync(file, JSON.stringify(state))
if (method === 'GET') {
  const url = new URL(route, 'https://api.github.com/')
  const page = Number(url.searchParams.get('page') || 1), size = Number(url.searchParams.get('per_page') || 30)
  console.log(JSON.stringify(state.comments.slice((page - 1) * size, page * size)))
} else {
  const {body} = JSON.parse(fs.readFileSync(0, 'utf8'))
  if (method === 'PATCH') {
    const id = Number(route.split('/').pop())
    const comment = state.comments.find((c) => c.id === id)
    comment.body = body
    save(); console.log(JSON.stringify(comment))
  } else {
    const id = 1000 + state.comments.length
    const comment = {id, body, user: {login: 'github-actions[bot]', type: 'Bot'}, html_url: 'https://github.com/o/r/pull/7#issuecomment-' + id}
    state.comments.push(comment); save(); console.log(JSON.stringify(comment))
  }
}
`

/** A pull request's comments behind a fake `gh` on PATH. */
export function fakeGithub(dir: string, comments: PullRequestComments['comments'] = []) {
  const bin = path.join(dir, 'fake-bin')
  mkdirSync(bin, {recursive: true})
  writeFileSync(path.join(bin, 'gh'), FAKE_GH)
  chmodSync(path.join(bin, 'gh'), 0o755)
  const state = path.join(dir, 'gh-state.json')
  writeFileSync(state, JSON.stringify({comments}))
  return {
    bin,
    env: {FAKE_GH_STATE: state},
    comments: () => (JSON.parse(readFileSync(state, 'utf8')) as PullRequestComments).comments,
    calls: () =>
      existsSync(`${state}.log`)
        ? readFileSync(`${state}.log`, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as {args: string[]; token: boolean})
        : [],
  }
}

/** The repository's devDependency, as `npm i -D recallctl` leaves it: node_modules/.bin/recallctl. */
export function installRecallctl(repo: string): void {
  const bin = path.join(repo, 'node_modules', '.bin')
  mkdirSync(bin, {recursive: true})
  if (!existsSync(path.join(bin, 'recallctl'))) symlinkSync(BIN, path.join(bin, 'recallctl'))
}

export interface ActionRun {
  steps: Record<string, Finished>
  outputs: Record<string, string>
  /** The exit code of the step that failed, or 0. */
  code: number
}

/**
 * Runs the action with `inputs` (`with:`), in a job whose environment is `env` (secrets given to the
 * step), for the pull request `pullRequest` (or a push when absent).
 */
export async function runAction(
  world: World,
  inputs: Record<string, string>,
  options: {env: Record<string, string>; pullRequest?: {number: number; headSha: string}; ghBin?: string},
): Promise<ActionRun> {
  const values = (name: string) => inputs[name] ?? ACTION.inputs[name]?.default ?? ''
  const stepOutputsById: Record<string, Record<string, string>> = {}
  const context: Record<string, string> = {
    'github.event.pull_request.number': options.pullRequest ? String(options.pullRequest.number) : '',
    'github.event.pull_request.head.sha': options.pullRequest?.headSha ?? '',
    'github.token': 'ghs_fake_token',
  }
  const fill = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_all, expression: string): string => {
      if (expression.startsWith('inputs.')) return fill(values(expression.slice('inputs.'.length)))
      const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression)
      if (step) return stepOutputsById[step[1]!]?.[step[2]!] ?? ''
      if (expression in context) return context[expression]!
      throw new Error(`the test runner does not know the expression ${expression}`)
    })
  const result: ActionRun = {steps: {}, outputs: {}, code: 0}
  for (const step of ACTION.runs.steps) {
    const outputFile = path.join(world.scratch(), 'step-output')
    writeFileSync(outputFile, '')
    const env: Record<string, string> = {
      ...options.env,
      GITHUB_ACTION_PATH: REPO_ROOT,
      GITHUB_OUTPUT: outputFile,
      GITHUB_REPOSITORY: 'acme/recall-config',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: options.env['GITHUB_RUN_ID'] ?? '4242',
      PATH: options.ghBin ? `${options.ghBin}:${options.env['PATH']}` : (options.env['PATH'] ?? ''),
    }
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = fill(value)
    const cwd = path.resolve(world.repo, fill(step['working-directory'] ?? '.'))
    const finished = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {cwd, env})
    result.steps[step.id] = finished
    stepOutputsById[step.id] = stepOutputs(readFileSync(outputFile, 'utf8'))
    if (finished.code !== 0) {
      result.code = finished.code ?? 1
      break
    }
  }
  for (const [name, output] of Object.entries(ACTION.outputs)) result.outputs[name] = fill(output.value)
  return result
}
