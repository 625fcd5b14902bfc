// Shared helpers of the benchmark scripts: paths, child processes, statistics, and the sandbox.
import {spawn} from 'node:child_process'
import {rmSync} from 'node:fs'
import {access, cp, mkdtemp, symlink} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath, pathToFileURL} from 'node:url'

/** The package root: the bundled example lives here, and BENCHMARKS.md is written here. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Where the build under test is: a snapshot of it (see snapshotBuild), else the package root. */
export const buildRoot = () => process.env.RECALLCTL_BENCH_BUILD || ROOT
/** The built CLI, as a user runs it. */
export const runJs = () => path.join(buildRoot(), 'bin', 'run.js')
export const distUrl = (file) => pathToFileURL(path.join(buildRoot(), 'dist', file)).href

/**
 * Copies the build (bin/, dist/, package.json, oclif.manifest.json, and scripts/bench-sandbox.mjs,
 * which imports ../dist; node_modules linked) to a temp dir
 * and measures that: a full run takes minutes, and on a shared machine a test run may rebuild dist/
 * meanwhile. Children find it through RECALLCTL_BENCH_BUILD. It is removed when this process exits.
 */
export async function snapshotBuild() {
  for (const entry of ['dist', 'oclif.manifest.json']) {
    await access(path.join(ROOT, entry)).catch(() => {
      throw new Error(`${entry} is missing: run "npm run build" first (npm run bench does).`)
    })
  }
  const dir = await tempDir('recallctl-bench-build-')
  for (const entry of ['bin', 'dist', 'package.json', 'oclif.manifest.json', 'scripts/bench-sandbox.mjs'])
    await cp(path.join(ROOT, entry), path.join(dir, entry), {recursive: true})
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  process.env.RECALLCTL_BENCH_BUILD = dir
  return dir
}

const tempDirs = []
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, {recursive: true, force: true})
})

/** A new temp dir, removed when this process exits. */
export async function tempDir(prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}

/** The built CLI runs its compiled commands only outside tests (oclif loads src/ when NODE_ENV=test). */
export const CLI_ENV = {...process.env, NODE_ENV: 'production', NO_COLOR: '1', RECALLCTL_NO_COLOR: '1'}
for (const name of Object.keys(CLI_ENV)) if (name.startsWith('RECALLCTL_') && name !== 'RECALLCTL_NO_COLOR') delete CLI_ENV[name]

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
export const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`
export const thousands = (n) => Math.round(n).toLocaleString('en-US')

/** Deterministic UUIDv4-shaped ids: `prefix` (8 hex digits) tells the sets apart in logs. */
export function botId(prefix, n) {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
}

/**
 * Runs a command to completion: {code, stdout, stderr, ms}. `ms` is wall time from spawn to exit,
 * measured here, so it includes the process start.
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, {cwd: options.cwd ?? ROOT, env: options.env ?? CLI_ENV, stdio: ['ignore', 'pipe', 'pipe']})
    const out = []
    const err = []
    child.stdout.on('data', (chunk) => out.push(chunk))
    child.stderr.on('data', (chunk) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
      }),
    )
  })
}

/** `node bin/run.js ...args` as a user runs it. */
export const cli = (args, options = {}) => run(process.execPath, [runJs(), ...args], options)

/** A failed step stops the benchmark with what the command said. */
export function check(result, what, okCodes = [0]) {
  if (!okCodes.includes(result.code)) {
    throw new Error(
      `${what} exited ${result.code}.\n--- stdout ---\n${result.stdout.slice(-3000)}\n--- stderr ---\n${result.stderr.slice(-3000)}`,
    )
  }
  return result
}

/**
 * A standalone sandbox (`recallctl sandbox --port 0 --json`) in its own process, as a user would run
 * one, so its work does not share an event loop with the clients measured against it.
 */
export async function startSandboxProcess({rateWindowMs = 60_000, sharedBucket = false, rateLimits = true, pageSize = 50} = {}) {
  const args = ['sandbox', '--port', '0', '--json', `--rate-window-ms=${rateWindowMs}`, `--page-size=${pageSize}`]
  if (sharedBucket) args.push('--shared-bucket')
  if (!rateLimits) args.push('--no-rate-limits')
  const child = spawn(process.execPath, [runJs(), ...args], {cwd: ROOT, env: CLI_ENV, stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const info = await new Promise((resolve, reject) => {
    const lines = createInterface({input: child.stdout})
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line))
      } catch {
        reject(new Error(`the sandbox printed "${line}" instead of its JSON details`))
      }
    })
    child.once('exit', (code) => reject(new Error(`the sandbox exited ${code} before listening: ${stderr}`)))
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    url: info.url,
    apiKey: info.api_key,
    adminToken: info.admin_token,
    control: controlClient(info.url, info.admin_token),
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** The sandbox's /_sandbox/ control endpoints. */
export function controlClient(url, adminToken) {
  const call = async (method, path, body) => {
    const response = await fetch(`${url}/_sandbox/${path}`, {
      method,
      headers: {authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
      ...(body === undefined ? {} : {body: JSON.stringify(body)}),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} /_sandbox/${path} answered ${response.status}: ${text.slice(0, 500)}`)
    return text === '' ? null : JSON.parse(text)
  }
  return {
    reset: (bots = []) => call('POST', 'reset', {bots}),
    seed: (bots) => call('POST', 'bots', {bots}),
    bots: async () => (await call('GET', 'bots')).bots,
    setRateLimits: (value) => call('PUT', 'rate-limits', value),
    rateLimits: () => call('GET', 'rate-limits'),
    clearRequests: () => call('DELETE', 'requests'),
    addFault: (rule) => call('POST', 'faults', rule),
    clearFaults: () => call('DELETE', 'faults'),
    /** Every logged API request (the log keeps the newest 10,000: clear it between runs). */
    requests: async () => (await call('GET', 'requests?since=0')).requests,
  }
}

/** Counts of logged API requests, by endpoint group and status. */
export function tallyRequests(requests) {
  const tally = {retrieve_bot: 0, start_recording: 0, list_bots: 0, other: 0, status429: 0, byStatus: {}}
  for (const entry of requests) {
    const pathOnly = entry.path.split('?')[0]
    const group =
      entry.method === 'GET' && pathOnly === '/api/v1/bot/'
        ? 'list_bots'
        : entry.method === 'GET' && /^\/api\/v1\/bot\/[^/]+\/$/.test(pathOnly)
          ? 'retrieve_bot'
          : entry.method === 'POST' && /\/start_recording\/$/.test(pathOnly)
            ? 'start_recording'
            : 'other'
    tally[group]++
    tally.byStatus[entry.status] = (tally.byStatus[entry.status] ?? 0) + 1
    if (entry.status === 429) tally.status429++
  }
  return tally
}

/** The last NDJSON event of a type in `apply --json` output. */
export function ndjsonEvent(stdout, type) {
  let found
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const event = JSON.parse(line)
      if (event.type === type) found = event
    } catch {
      // Not an event line.
    }
  }
  return found
}

export function ndjsonEvents(stdout, type) {
  const out = []
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const event = JSON.parse(line)
      if (event.type === type) out.push(event)
    } catch {
      // Not an event line.
    }
  }
  return out
}
