import type {ResolvedAssignment, ResolvedProfile, ResolvedProject} from '../../../src/resolve/types.js'
import {runProject, withConfig, yaml} from '../../foundation/support/project.js'

/** Bot ids the fixture assigns explicitly. */
export const BOT_A = '0000000a-0000-4000-8000-00000000000a'
export const BOT_B = '0000000b-0000-4000-8000-00000000000b'
export const BOT_C = '0000000c-0000-4000-8000-00000000000c'

export const HOOK_TOKEN = 'hook-token-value-8f3a2c'
export const ENV = {HOOK_TOKEN}

/**
 * Four profiles and four assignments (two explicit, two match selectors), resolved in memory as
 * `plan` resolves them. `hooked` carries a secret in a webhook URL query and in its metadata.
 */
export const FIXTURE_FILES = withConfig({
  'recordings/profiles.yaml': yaml(
    'profiles:',
    '  base:',
    '    retention: { type: timed, hours: 720 }',
    '    metadata: { team: sales }',
    '  hooked:',
    '    extends: base',
    '    transcript: { provider: { recallai_streaming: { language_code: en } } }',
    '    realtime_endpoints:',
    '      - { type: webhook, url: "https://hooks.example.com/r?token=${env:HOOK_TOKEN}", events: [transcript.data] }',
    '    metadata: { ref: "${env:HOOK_TOKEN}" }',
    '  support:',
    '    retention: { type: forever }',
    '    video_mixed_layout: gallery_view_v2',
    '    metadata: { team: support }',
    '  sales-call:',
    '    extends: base',
    '    metadata: { tier: vip }',
  ),
  'recordings/assignments.yaml': yaml(
    'assignments:',
    '  - profile: hooked',
    `    bots: [${BOT_A}, ${BOT_B}]`,
    '  - profile: support',
    '    match: { metadata: { team: support }, status: [in_call_recording, in_call_not_recording] }',
    '  - profile: sales-call',
    '    match: { metadata: { tier: vip } }',
    '  - profile: base',
    `    bots: [${BOT_C}]`,
  ),
})

export interface Fixture {
  resolved: ResolvedProject
  profile(name: string): ResolvedProfile
  /** The assignment declared on this line of recordings/assignments.yaml. */
  assignment(line: number): ResolvedAssignment
}

export function fixture(): Fixture {
  const run = runProject(FIXTURE_FILES, {mode: 'plan', env: ENV})
  if (run.diagnostics.length > 0) throw new Error(`fixture project has diagnostics: ${JSON.stringify(run.diagnostics, null, 2)}`)
  return {
    resolved: run.resolved,
    profile(name) {
      const found = run.resolved.profiles.find((p) => p.name === name)
      if (!found) throw new Error(`no profile ${name}`)
      return found
    },
    assignment(line) {
      const found = run.resolved.assignments.find((a) => a.label === `recordings/assignments.yaml:${line}`)
      if (!found) throw new Error(`no assignment on line ${line}: ${run.resolved.assignments.map((a) => a.label).join(', ')}`)
      return found
    },
  }
}
