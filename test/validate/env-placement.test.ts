import {describe, expect, test} from 'vitest'
import {runProject, withConfig, yaml, MINIMAL_CONFIG} from '../foundation/support/project.js'
import type {Diagnostic} from '../../src/shared/diagnostics.js'

/**
 * `${env:}` stands only in free text; everywhere else it is refused with its place. Bodies are checked
 * again once substituted, and an empty variable is as wrong as an unset one.
 */

const A = 'recordings/a.yaml'
const BOT = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
const SECRET = 'S3cr3t-value-9f2e'

const errors = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error')
const at = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}`
const plan = (files: Record<string, string>, env: Record<string, string> = {}) => runProject(files, {mode: 'plan', env})
const assigned = (...profileLines: string[]) =>
  yaml(
    'profiles:',
    '  p:',
    '    retention: {type: forever}',
    ...profileLines,
    'assignments:',
    '  - profile: p',
    `    bots: [${BOT}]`,
  )

describe('${env:} where no secret belongs is refused, with its place', () => {
  test.each([
    [
      'a bot id',
      yaml('profiles:', '  p: {retention: {type: forever}}', 'assignments:', '  - profile: p', '    bots: ["${env:BOTID}"]'),
      `${A}:5:12`,
      'a bot id',
    ],
    [
      'match.status',
      yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        '  - profile: p',
        '    match: {status: ["${env:S}"]}',
      ),
      `${A}:5:22`,
      'match selector',
    ],
    [
      'match.metadata',
      yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        '  - profile: p',
        '    match: {metadata: {team: "${env:S}"}}',
      ),
      `${A}:5:30`,
      'match selector',
    ],
    [
      'an assignment profile',
      yaml('profiles:', '  p: {retention: {type: forever}}', 'assignments:', '  - profile: "${env:P}"', `    bots: [${BOT}]`),
      `${A}:4:14`,
      'a profile name',
    ],
    [
      'extends',
      yaml(
        'profiles:',
        '  base: {retention: {type: forever}}',
        '  p: {extends: "${env:PARENT}"}',
        'assignments:',
        '  - profile: p',
        `    bots: [${BOT}]`,
      ),
      `${A}:3:16`,
      'a profile name',
    ],
    ['an enum', assigned('    video_mixed_layout: "${env:LAYOUT}"'), `${A}:4:25`, 'a choice from a fixed set'],
    [
      'a number',
      yaml(
        'profiles:',
        '  p:',
        '    retention: {type: timed, hours: "${env:H}"}',
        'assignments:',
        '  - profile: p',
        `    bots: [${BOT}]`,
      ),
      `${A}:3:37`,
      'a number',
    ],
    ['a boolean', assigned('    include_bot_in_recording: {audio: "${env:B}"}'), `${A}:4:39`, 'a true/false value'],
    [
      'a retention type',
      yaml('profiles:', '  p:', '    retention: {type: "${env:T}"}', 'assignments:', '  - profile: p', `    bots: [${BOT}]`),
      `${A}:3:23`,
      'a choice from a fixed set',
    ],
    [
      'an event name',
      assigned('    realtime_endpoints: [{type: webhook, url: "https://h.example.com/x", events: ["${env:E}"]}]'),
      `${A}:4:83`,
      'a choice from a fixed set',
    ],
    ['a metadata key', assigned('    metadata: {"${env:K}": x}'), `${A}:4:16`, 'a key'],
  ])('in %s', (_what, file, where, words) => {
    const run = plan(withConfig({[A]: file}), {
      BOTID: BOT,
      S: 'in_call_recording',
      P: 'p',
      PARENT: 'base',
      LAYOUT: 'speaker_view',
      H: '5',
      B: 'true',
      T: 'forever',
      E: 'transcript.data',
      K: 'k',
    })
    const refused = errors(run.diagnostics).filter((d) => d.code === 'env_not_allowed')
    expect(refused.map(at), JSON.stringify(run.diagnostics, null, 1)).toEqual([where])
    expect(refused[0]?.message).toContain(words)
    // Nothing that uses it resolves: no body, no bot is planned from a refused value.
    expect(run.resolved.assignments).toEqual([])
  })

  test('a profile name', () => {
    const run = plan(withConfig({[A]: yaml('profiles:', '  "${env:NAME}": {retention: {type: forever}}')}), {NAME: 'p'})
    expect(errors(run.diagnostics).map((d) => [d.code, at(d)])).toEqual([['env_not_allowed', `${A}:2:3`]])
  })

  test.each([
    [
      'api.api_key_env',
      'version: 1\napi:\n  base_url: sandbox\n  api_key_env: "${env:X}"\n',
      '4:16',
      "takes the variable's name",
    ],
    ['api.base_url', 'version: 1\napi:\n  base_url: "${env:URL}"\n', '3:13', 'Write the value itself'],
    ['recordings', 'version: 1\napi:\n  base_url: sandbox\nrecordings: ["${env:GLOB}"]\n', '4:14', 'Write the value itself'],
    [
      'apply.allow_restart',
      'version: 1\napi:\n  base_url: sandbox\napply: {allow_restart: "${env:R}"}\n',
      '4:24',
      'Write the value itself',
    ],
  ])('in the config: %s', (_what, config, where, words) => {
    const run = plan(withConfig({[A]: assigned()}, config), {X: 'K', URL: 'sandbox', GLOB: 'recordings/*.yaml', R: 'true'})
    const found = errors(run.diagnostics)
    expect(found.map((d) => [d.code, at(d)])).toEqual([['env_not_allowed', `recall.config.yaml:${where}`]])
    expect(found[0]?.message).toContain(words)
    expect(run.resolved.config).toBeUndefined()
  })

  test('is refused by validate as well, even with no variable set', () => {
    const run = runProject(withConfig({[A]: assigned('    video_mixed_layout: "${env:LAYOUT}"')}), {mode: 'validate'})
    expect(errors(run.diagnostics).map((d) => d.code)).toEqual(['env_not_allowed'])
  })

  test('a malformed reference is an error', () => {
    const run = plan(withConfig({[A]: assigned('    metadata: {note: "a ${env:NOT-A-NAME} b"}')}))
    expect(errors(run.diagnostics).map((d) => [d.code, at(d)])).toEqual([['env_malformed', `${A}:4:22`]])
  })
})

describe('${env:} in free text', () => {
  test.each([
    [
      'a URL',
      assigned(
        '    realtime_endpoints: [{type: webhook, url: "https://h.example.com/x?token=${env:T}", events: [participant_events.join]}]',
      ),
    ],
    ['a metadata value', assigned('    metadata: {note: "${env:T}"}')],
    [
      'an assignment metadata value',
      yaml(
        'profiles:',
        '  p: {retention: {type: forever}}',
        'assignments:',
        '  - profile: p',
        `    bots: [${BOT}]`,
        '    metadata: {deal: "${env:T}"}',
      ),
    ],
    ['a text provider option', assigned('    transcript: {provider: {deepgram_streaming: {keywords: "${env:T}"}}}')],
    ['an artifact metadata value', assigned('    video_mixed_mp4: {metadata: {token: "${env:T}"}}')],
  ])('is allowed in %s', (_what, file) => {
    const run = plan(withConfig({[A]: file}), {T: SECRET})
    expect(errors(run.diagnostics)).toEqual([])
    expect(run.resolved.assignments).toHaveLength(1)
  })

  test('an empty variable is an error for plan and a warning for validate, like an unset one', () => {
    const files = withConfig({[A]: assigned('    metadata: {note: "${env:T}"}')})
    const planned = plan(files, {T: ''})
    expect(planned.diagnostics.map((d) => [d.severity, d.code, at(d)])).toEqual([['error', 'env_empty', `${A}:4:22`]])
    expect(planned.diagnostics[0]?.message).toMatch(/T is set but empty/)
    const validated = runProject(files, {mode: 'validate', env: {T: ''}})
    expect(validated.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'env_empty']])
  })
})

describe('bodies are checked again once substituted', () => {
  test('a URL that is not a URL once substituted: at the line as written, never showing the value', () => {
    const run = plan(
      withConfig({
        [A]: assigned(
          '    realtime_endpoints:',
          '      - {type: webhook, url: "${env:HOOK_URL}", events: [participant_events.join]}',
        ),
      }),
      {HOOK_URL: `not a url ${SECRET}`},
    )
    const found = errors(run.diagnostics)
    expect(found.map(at)).toEqual([`${A}:5:30`])
    expect(found[0]?.message).toContain('${env:HOOK_URL}')
    expect(JSON.stringify(run.diagnostics)).not.toContain(SECRET)
    expect(run.resolved.profiles).toEqual([])
    expect(run.resolved.assignments).toEqual([])
  })

  test('an endpoint that lands on localhost once substituted breaks the rule, without quoting the value', () => {
    const host = `localhost:${'4'.repeat(4)}`
    const run = plan(
      withConfig({
        [A]: assigned(
          '    realtime_endpoints:',
          '      - {type: webhook, url: "https://${env:HOST}/hook", events: [participant_events.join]}',
        ),
      }),
      {HOST: host},
    )
    const found = errors(run.diagnostics)
    expect(found.map((d) => [d.code, at(d)])).toEqual([['env_realtime_endpoint_on_localhost', `${A}:5:30`]])
    expect(JSON.stringify(run.diagnostics)).not.toContain(host)
  })

  test('a text over its length once substituted', () => {
    const run = plan(withConfig({[A]: assigned('    transcript: {provider: {rev_streaming: {metadata: "${env:NOTE}"}}}')}), {
      NOTE: SECRET.repeat(40),
    })
    const found = errors(run.diagnostics)
    expect(found.map((d) => [d.code, at(d)])).toEqual([['env_out_of_range', `${A}:4:55`]])
    expect(JSON.stringify(run.diagnostics)).not.toContain(SECRET)
  })

  test('an assignment whose metadata uses a set variable resolves', () => {
    const file = yaml(
      'profiles:',
      '  p: {retention: {type: forever}}',
      'assignments:',
      '  - profile: p',
      `    bots: [${BOT}]`,
      '    metadata: {deal: "${env:DEAL}"}',
    )
    expect(plan(withConfig({[A]: file}), {DEAL: SECRET}).resolved.assignments).toHaveLength(1)
  })

  test('a body whose substituted values are valid resolves, its digest over the references as written', () => {
    const file = assigned('    metadata: {note: "${env:T}"}')
    const one = plan(withConfig({[A]: file}), {T: SECRET})
    const two = plan(withConfig({[A]: file}), {T: `${SECRET}-rotated`})
    expect(one.resolved.profiles[0]?.digest).toBe(two.resolved.profiles[0]?.digest)
  })

  test('the config is not checked again with values: MINIMAL_CONFIG stays valid', () => {
    expect(errors(plan(withConfig({[A]: assigned()}, MINIMAL_CONFIG)).diagnostics)).toEqual([])
  })
})
