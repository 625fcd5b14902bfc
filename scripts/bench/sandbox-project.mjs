// A recallctl project pointed at a standalone sandbox, and the CLI steps the benchmarks drive on it.
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {botId, check, cli, CLI_ENV, ndjsonEvent, ndjsonEvents, tempDir} from './lib.mjs'

/** The profile every benchmark bot gets: it differs from the endpoint defaults in several fields. */
export const BENCH_PROFILES = `profiles:
  bench-base:
    retention: { type: timed, hours: 720 }
    start_recording_on: call_join
    metadata: { team: bench, managed_by: recallctl }
  bench:
    extends: bench-base
    transcript:
      provider: { recallai_streaming: { language_code: en } }
    video_mixed_layout: gallery_view_v2
    realtime_endpoints:
      - { type: webhook, url: "https://hooks.example.com/recall", events: [transcript.data] }
`

/** `count` bots in the call and not recording: each needs a start. */
export function inCallSeeds(prefix, count, metadata = {team: 'bench'}) {
  return Array.from({length: count}, (_, i) => ({
    id: botId(prefix, i),
    status: 'in_call_not_recording',
    metadata,
    recordings: [],
  }))
}

/**
 * Writes a project in a new temp dir: `api.base_url` is the sandbox, the key comes from RECALL_API_KEY,
 * `rateLimits` go to rate_limits, `concurrency` (optional) to apply.concurrency, and the bots are
 * assigned by id (`bots`) or by a `match` selector.
 */
export async function writeSandboxProject({
  url,
  rateLimits = {start_recording: 300, retrieve_bot: 300, list_bots: 60},
  bots = [],
  match,
  concurrency,
}) {
  const dir = await tempDir('recallctl-bench-project-')
  await mkdir(path.join(dir, 'recordings'))
  await writeFile(
    path.join(dir, 'recall.config.yaml'),
    [
      'version: 1',
      'api:',
      `  base_url: ${url}`,
      '  api_key_env: RECALL_API_KEY',
      'recordings: ["recordings/**/*.yaml"]',
      'rate_limits:',
      ...Object.entries(rateLimits).map(([group, limit]) => `  ${group}: ${limit}`),
      // Unset by default: calls in flight follow the limiter (issue 12); a number caps them.
      ...(concurrency === undefined ? [] : ['apply:', `  concurrency: ${concurrency}`]),
      '',
    ].join('\n'),
  )
  const assignment = match
    ? [
        '  - profile: bench',
        '    match:',
        `      metadata: { ${Object.entries(match.metadata)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')} }`,
        `      status: [${match.status.join(', ')}]`,
      ]
    : ['  - profile: bench', '    bots:', ...bots.map((id) => `      - ${id}`)]
  await writeFile(path.join(dir, 'recordings', 'bench.yaml'), `${BENCH_PROFILES}\nassignments:\n${assignment.join('\n')}\n`)
  return dir
}

/** The environment of a CLI run against the sandbox; `rateWindowMs` scales recallctl's limiter window. */
export function cliEnv(sandbox, rateWindowMs) {
  return {
    ...CLI_ENV,
    RECALL_API_KEY: sandbox.apiKey,
    ...(rateWindowMs === undefined ? {} : {RECALLCTL_RATE_WINDOW_MS: String(rateWindowMs)}),
  }
}

/** `plan --out plan.json --json`: the plan, and the run's wall time. */
export async function planToFile(dir, env) {
  const planFile = path.join(dir, 'plan.json')
  const result = check(await cli(['plan', '--dir', dir, '--out', planFile, '--json'], {env}), 'recallctl plan')
  return {plan: JSON.parse(await readFile(planFile, 'utf8')), ms: result.ms}
}

/** `apply [plan.json] --auto-approve --json`: the apply_complete event, the retries it announced, the wall time. */
export async function applyJson(dir, env, planFile) {
  const args = ['apply', ...(planFile ? [planFile] : []), '--dir', dir, '--auto-approve', '--json']
  const result = check(await cli(args, {env}), `recallctl ${args.join(' ')}`, [0, 3])
  const complete = ndjsonEvent(result.stdout, 'apply_complete')
  if (!complete)
    throw new Error(`apply printed no apply_complete event:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`)
  return {
    summary: complete.summary,
    results: complete.results,
    rateLimitedEvents: ndjsonEvents(result.stdout, 'rate_limited'),
    retryEvents: ndjsonEvents(result.stdout, 'retry'),
    ms: result.ms,
    code: result.code,
  }
}

/** The desired body and digest of a profile, as `recallctl profiles NAME --json` prints them. */
export async function resolvedProfile(dir, name) {
  const result = check(await cli(['profiles', name, '--dir', dir, '--json'], {env: CLI_ENV}), 'recallctl profiles')
  const parsed = JSON.parse(result.stdout)
  return Array.isArray(parsed) ? parsed[0] : parsed
}
