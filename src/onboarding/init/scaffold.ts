import {recordingsYaml} from '../yaml-text.js'

export type CiKind = 'github' | 'gitlab' | 'none'
export const CI_KINDS: readonly CiKind[] = ['github', 'gitlab', 'none']

export interface ScaffoldOptions {
  /** A Recall region, or undefined for the embedded sandbox. */
  region: string | undefined
}

/** The files of a new project that are text recallctl writes itself (schemas and CI files are copied). */
export function scaffoldFiles(options: ScaffoldOptions): Array<{file: string; text: string}> {
  return [
    {file: 'recall.config.yaml', text: configText(options)},
    {file: 'recordings/default.yaml', text: recordingsText()},
  ]
}

/** The selector of the starter assignment: bots created with this metadata record with the starter profile. */
export const STARTER_SELECTOR = {recording_profile: 'default'}

function configText({region}: ScaffoldOptions): string {
  const api = region
    ? [
        `  region: ${region}              # us-west-2 | us-east-1 | eu-central-1 | ap-northeast-1 (a key works only in its region)`,
      ]
    : ['  base_url: sandbox              # the embedded Recall emulator: no account, no key. For a workspace: region: us-east-1']
  const sandbox = region
    ? []
    : [
        '',
        '# Bots the embedded sandbox starts with (its state then lives in .recallctl/sandbox.json;',
        '# `recallctl sandbox --reset` starts over). Remove this block with base_url: sandbox.',
        'sandbox:',
        '  bots:',
        '    - id: 6e1f5adb-3340-4f50-900d-9aa2cdc53d6c   # in the call, not recording: plan starts it',
        '      status: in_call_not_recording',
        `      metadata: { recording_profile: ${STARTER_SELECTOR.recording_profile} }`,
        '    - id: 0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e   # still joining: the selector (in-call statuses) finds it once it joins',
        '      status: joining_call',
        `      metadata: { recording_profile: ${STARTER_SELECTOR.recording_profile} }`,
      ]
  return [
    '# yaml-language-server: $schema=./schemas/recall.config.schema.json',
    '# Written by `recallctl init`. `recallctl explain <field>` describes any field of a profile.',
    'version: 1',
    'api:',
    ...api,
    '  api_key_env: RECALL_API_KEY    # the key is read from this environment variable, never from a file',
    'recordings: ["recordings/**/*.yaml"]',
    "rate_limits:                     # requests per minute for this workspace (Recall's documented limits)",
    '  start_recording: 300',
    '  retrieve_bot: 300',
    '  list_bots: 60',
    'apply:',
    '  allow_restart: false           # a plan that restarts a running recording needs this or --allow-restart',
    ...sandbox,
    '',
  ].join('\n')
}

function recordingsText(): string {
  const document = {
    profiles: {
      default: {
        retention: {type: 'timed', hours: 720},
        video_mixed_layout: 'speaker_view',
        metadata: {managed_by: 'recallctl'},
      },
    },
    assignments: [
      {
        profile: 'default',
        match: {
          metadata: STARTER_SELECTOR,
          status: ['in_call_not_recording', 'recording_permission_allowed', 'in_call_recording'],
        },
      },
    ],
  }
  return [
    '# yaml-language-server: $schema=../schemas/recordings.schema.json',
    '# A starter profile. retention is set on purpose: left out, the endpoint keeps media 168 hours, which',
    "# may be shorter than your plan's default. Bots created with the metadata recording_profile: default",
    "# (Create Bot's `metadata`) record with it. `recallctl import` writes profiles from bots you already run.",
    recordingsYaml(document),
  ].join('\n')
}

/** The CI files to copy from the package's examples/ folder, by CI: source path → destination. */
export function ciFiles(ci: CiKind): Array<{from: string; to: string}> {
  if (ci === 'github')
    return [
      {from: 'examples/github-actions/recallctl-plan.yml', to: '.github/workflows/recallctl-plan.yml'},
      {from: 'examples/github-actions/recallctl-apply.yml', to: '.github/workflows/recallctl-apply.yml'},
    ]
  if (ci === 'gitlab') return [{from: 'examples/gitlab-ci/.gitlab-ci.yml', to: '.gitlab-ci.yml'}]
  return []
}

/** `.gitignore` with the sandbox state folder in it: undefined when it is there already. */
export function gitignoreWithState(current: string | undefined): string | undefined {
  const lines = (current ?? '').split(/\r?\n/).map((l) => l.trim())
  if (lines.some((l) => l === '.recallctl/' || l === '.recallctl' || l === '/.recallctl/' || l === '/.recallctl'))
    return undefined
  const base = current ?? ''
  return `${base}${base === '' || base.endsWith('\n') ? '' : '\n'}# recallctl: the embedded sandbox's state\n.recallctl/\n`
}
