import type {Action} from '../../../src/plan/types.js'
import type {RunningSandbox, SandboxBotSeed} from '../../../src/sandbox/index.js'
import {testProject, type TestProject} from '../../support/e2e.js'

/*
 * A mixed-state workspace for the end-to-end tests: a project (config, profiles, assignments by id and
 * by match) pointed at a sandbox the test started, and the bots that sandbox is seeded with.
 */

/** Secrets: neither may appear in any output or plan file. */
export const API_KEY = 'e2e-api-key-5b1d0c9a7e3f4a62b8d1'
export const HOOK_TOKEN = 'e2e-hook-token-0f6e2d4c8a1b'
export const KEY_ENV = 'E2E_RECALL_KEY'
export const ENV = {[KEY_ENV]: API_KEY, HOOK_TOKEN}

const id = (group: string, n: number) => `${group}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

/** Explicitly assigned to profile `sales`, one per situation. */
export const SALES = {
  start: id('5a1e0000', 1),
  noop: id('5a1e0000', 2),
  noopPaused: id('5a1e0000', 3),
  restartKnown: id('5a1e0000', 4),
  restartUnknown: id('5a1e0000', 5),
  adopted: id('5a1e0000', 6),
  drift: id('5a1e0000', 7),
  pending: id('5a1e0000', 8),
  completed: id('5a1e0000', 9),
  blocked: id('5a1e0000', 10),
  unknown: id('5a1e0000', 11),
}
/** Assigned by id in recordings/missing.yaml, and not in the sandbox. */
export const MISSING = id('0dd00000', 1)
/** Found by the support selector (team support, in the call): more than two pages of three. */
export const SUPPORT_START = [1, 2, 3, 4].map((n) => id('50990000', n))
export const SUPPORT_NOOP = [5, 6, 7].map((n) => id('50990000', n))
/** Support bots the selector's status filter leaves out, and another team's bot: never in the plan. */
export const SUPPORT_JOINING = id('50990000', 8)
export const MARKETING = id('3a4c0000', 1)

export const PAGE_SIZE = 3

export const EXPECTED_ACTIONS: Record<string, Action> = {
  [SALES.start]: 'start',
  [SALES.noop]: 'noop',
  [SALES.noopPaused]: 'noop',
  [SALES.restartKnown]: 'restart',
  [SALES.restartUnknown]: 'restart',
  [SALES.adopted]: 'noop',
  [SALES.drift]: 'restart',
  [SALES.pending]: 'pending',
  [SALES.completed]: 'completed',
  [SALES.blocked]: 'blocked',
  [SALES.unknown]: 'unknown',
  ...Object.fromEntries(SUPPORT_START.map((bot) => [bot, 'start'])),
  ...Object.fromEntries(SUPPORT_NOOP.map((bot) => [bot, 'noop'])),
}

export const PROFILES_YAML = `profiles:
  base:
    retention: { type: timed, hours: 720 }
    metadata: { managed_by: e2e }
  sales:
    extends: base
    transcript: { provider: { recallai_streaming: { language_code: en } } }
    realtime_endpoints:
      - { type: webhook, url: "https://hooks.example.com/recall?token=\${env:HOOK_TOKEN}", events: [transcript.data] }
    metadata: { team: sales, hook_ref: "\${env:HOOK_TOKEN}" }
  support:
    extends: base
    video_mixed_layout: gallery_view_v2
    metadata: { team: support }
`

export const ASSIGNMENTS_YAML = `assignments:
  - profile: sales
    bots:
${Object.values(SALES)
  .map((bot) => `      - ${bot}`)
  .join('\n')}
  - profile: support
    match:
      metadata: { team: support }
      status: [in_call_not_recording, in_call_recording]
`

export const MISSING_YAML = `assignments:
  - profile: base
    bots: [${MISSING}]
`

/** The project, from the one builder (removed by the caller); `missing` adds an assignment of a bot the sandbox does not have. */
export function workspaceProject(sandbox: RunningSandbox, options: {missing: boolean}): TestProject {
  return testProject(sandbox, [], {
    recordings: null,
    keyEnv: KEY_ENV,
    lifetime: 'suite',
    files: {
      'recordings/profiles.yaml': PROFILES_YAML,
      'recordings/assignments.yaml': ASSIGNMENTS_YAML,
      ...(options.missing ? {'recordings/missing.yaml': MISSING_YAML} : {}),
    },
  })
}

export interface ResolvedProfileJson {
  name: string
  digest: string
  body: Record<string, unknown>
}

const stamp = (profile: ResolvedProfileJson, extra: Record<string, string> = {}) => ({
  ...(profile.body['metadata'] as Record<string, string>),
  ...extra,
  recallctl_digest: profile.digest,
  recallctl_profile: profile.name,
})

/**
 * The bots, from the profiles as `recallctl profiles --json` printed them (digests, redacted bodies).
 * The adopted bot was created with the sales body and the real secret, as a user's own script would.
 */
export function seeds(profiles: Record<string, ResolvedProfileJson>): SandboxBotSeed[] {
  const sales = profiles['sales']!
  const support = profiles['support']!
  const salesWithSecrets = structuredClone(sales.body)
  salesWithSecrets['realtime_endpoints'] = [
    {type: 'webhook', url: `https://hooks.example.com/recall?token=${HOOK_TOKEN}`, events: ['transcript.data']},
  ]
  salesWithSecrets['metadata'] = {...(sales.body['metadata'] as Record<string, string>), hook_ref: HOOK_TOKEN}
  const salesMeta = {team: 'sales'}
  return [
    {id: SALES.start, status: 'in_call_not_recording', metadata: salesMeta},
    {
      id: SALES.noop,
      status: 'in_call_recording',
      metadata: salesMeta,
      recordings: [{status: 'processing', metadata: stamp(sales, {hook_ref: HOOK_TOKEN})}],
    },
    {
      id: SALES.noopPaused,
      status: 'in_call_recording',
      metadata: salesMeta,
      recordings: [
        {status: 'done', metadata: {}},
        {status: 'paused', metadata: stamp(sales, {hook_ref: HOOK_TOKEN})},
      ],
    },
    {
      id: SALES.restartKnown,
      status: 'in_call_recording',
      metadata: salesMeta,
      recordings: [{status: 'processing', metadata: stamp(support)}],
    },
    {
      id: SALES.restartUnknown,
      status: 'in_call_recording',
      metadata: salesMeta,
      recordings: [
        {
          status: 'processing',
          metadata: {team: 'sales', recallctl_digest: `v1:${'0'.repeat(32)}`, recallctl_profile: 'sales-2024'},
        },
      ],
    },
    {
      id: SALES.adopted,
      status: 'in_call_recording',
      metadata: salesMeta,
      recording_config: salesWithSecrets as SandboxBotSeed['recording_config'],
    },
    {
      id: SALES.drift,
      status: 'in_call_recording',
      metadata: salesMeta,
      recording_config: {retention: {type: 'forever'}, metadata: {team: 'sales', hook_ref: HOOK_TOKEN}},
    },
    {id: SALES.pending, status: 'joining_call', metadata: salesMeta},
    {id: SALES.completed, status: 'call_ended', metadata: salesMeta, recordings: [{status: 'done', metadata: stamp(sales)}]},
    {id: SALES.blocked, status: 'recording_permission_denied', metadata: salesMeta},
    {id: SALES.unknown, status: 'joining_call', metadata: salesMeta},
    ...SUPPORT_START.map((bot, i): SandboxBotSeed => ({
      id: bot,
      status: i % 2 === 0 ? 'in_call_not_recording' : 'in_call_recording',
      metadata: {team: 'support'},
      recordings: [],
    })),
    ...SUPPORT_NOOP.map((bot): SandboxBotSeed => ({
      id: bot,
      status: 'in_call_recording',
      metadata: {team: 'support'},
      recordings: [{status: 'processing', metadata: stamp(support)}],
    })),
    {id: SUPPORT_JOINING, status: 'joining_call', metadata: {team: 'support'}},
    {id: MARKETING, status: 'in_call_not_recording', metadata: {team: 'marketing'}},
  ]
}

/** Moves applied after seeding: a status code this version does not know. */
export const UNKNOWN_STATUS = 'in_call_hologram'

/** Calls a `/_sandbox/` control endpoint; a refusal fails the test with the sandbox's message. */
export async function control<T = any>(sandbox: RunningSandbox, method: string, endpoint: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.url}/_sandbox/${endpoint}`, {
    method,
    headers: {authorization: `Bearer ${sandbox.adminToken}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
    ...(body === undefined ? {} : {body: JSON.stringify(body)}),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} /_sandbox/${endpoint} answered ${response.status}: ${text}`)
  return (text === '' ? undefined : JSON.parse(text)) as T
}

export interface LoggedRequest {
  seq: number
  method: string
  path: string
  status: number | null
  fault: string | null
}

export const requestLog = async (sandbox: RunningSandbox): Promise<LoggedRequest[]> =>
  (await control<{requests: LoggedRequest[]}>(sandbox, 'GET', 'requests')).requests
