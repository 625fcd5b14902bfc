import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {encodingsOf, expectSafe, hostileProject, type HostileProject} from './support/hostile.js'

/**
 * `${env:}` cannot bypass validation (refused where no secret belongs; checked again once substituted;
 * empty is unset), and nothing a diagnostic or Recall's error body quotes shows a secret, in any form,
 * in any output or written file (terminal, --json, plan --out, markdown).
 */

const SECRET = 'S3cret-Value-7f3a9c21'
const PASSWORD = 'Pa55word-e8d1b7'
const SIGNATURE = 'Sig-0c9e4f7a2b'
const META = 'meta-key-41d2a8c6'
/** A number under a secret-named metadata key: never quoted. */
const NUMBER = '864213579'

/** The recordings file: profile `e2e` with these extra lines, assigned to the project's bots (or `selector` lines). */
function recordings(h: HostileProject, profileLines: string[], selector?: string[]): string {
  return [
    'profiles:',
    '  e2e:',
    '    retention: { type: timed, hours: 24 }',
    ...profileLines,
    'assignments:',
    '  - profile: e2e',
    ...(selector ?? ['    bots:', ...h.ids.map((id) => `      - ${id}`)]),
    '',
  ].join('\n')
}

async function project(profileLines: string[], selector?: (h: HostileProject) => string[]) {
  const h = await hostileProject({bots: 1})
  h.write('recordings/e2e.yaml', recordings(h, profileLines, selector?.(h)))
  return h
}

const readWritten = (h: HostileProject, file: string): string => readFileSync(path.join(h.project.dir, file), 'utf8')

describe('${env:} where no secret belongs: refused before any request', () => {
  it('a bot id (plan): error at its line, not "No changes"', async () => {
    const h = await project([], () => ['    bots: ["${env:BOTID}"]'])
    const result = await h.run(['plan', '--detailed-exitcode'], {env: {BOTID: h.ids[0]}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: [/recordings\/e2e\.yaml:\d+:\d+/, /bot id/]})
    expect(result.stdout + result.stderr).not.toMatch(/No changes/)
  })

  it('match.status (plan)', async () => {
    const h = await project([], () => ['    match: { status: ["${env:STATUS}"] }'])
    expectSafe(await h.run(['plan'], {env: {STATUS: 'in_call_recording'}}), h, {
      exitCode: 1,
      requests: 'none',
      says: /match selector/,
    })
  })

  it('match.metadata holding a secret (plan --json): the value is never shown', async () => {
    const h = await project([], () => ['    match: { metadata: { team: "${env:TEAM}" } }'])
    const result = await h.run(['plan', '--json'], {env: {TEAM: SECRET}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', secrets: [SECRET], says: /recordings\/e2e\.yaml/})
  })

  it('an enum with a bad value (apply --auto-approve): nothing is sent', async () => {
    const h = await project(['    video_mixed_layout: "${env:LAYOUT}"'])
    const result = await h.run(['apply', '--auto-approve'], {env: {LAYOUT: SECRET}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', secrets: [SECRET], says: /video_mixed_layout/})
  })

  it('a number (plan)', async () => {
    const h = await project([], undefined)
    h.write('recordings/e2e.yaml', recordings(h, []).replace('hours: 24', 'hours: "${env:HOURS}"'))
    expectSafe(await h.run(['plan'], {env: {HOURS: '24'}}), h, {exitCode: 1, requests: 'none', says: /retention\.hours/})
  })

  it('extends (plan)', async () => {
    const h = await project(['    extends: "${env:PARENT}"'])
    expectSafe(await h.run(['plan'], {env: {PARENT: 'e2e'}}), h, {exitCode: 1, requests: 'none', says: /profile name/})
  })

  it('api.api_key_env in the config (plan)', async () => {
    const h = await project([])
    h.write('recall.config.yaml', readWritten(h, 'recall.config.yaml').replace(/api_key_env: (\w+)/, 'api_key_env: "$${env:$1}"'))
    expectSafe(await h.run(['plan'], {env: {}}), h, {
      exitCode: 1,
      requests: 'none',
      says: [/recall\.config\.yaml:\d+:\d+/, /variable's name/],
    })
  })

  it('a bot id (watch --once): watch does not start', async () => {
    const h = await project([], () => ['    bots: ["${env:BOTID}"]'])
    const result = await h.run(['watch', '--once'], {env: {BOTID: h.ids[0]}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: /bot id/})
  })
})

describe('empty and substituted values', () => {
  it('an empty variable is an error for plan, like an unset one', async () => {
    const h = await project([
      '    realtime_endpoints:',
      '      - { type: webhook, url: "https://hooks.example.com/r?token=${env:HOOK_TOKEN}", events: [participant_events.join] }',
    ])
    expectSafe(await h.run(['plan'], {env: {HOOK_TOKEN: ''}}), h, {
      exitCode: 1,
      requests: 'none',
      says: /HOOK_TOKEN is set but empty/,
    })
  })

  it('an empty variable stops apply before any request', async () => {
    const h = await project(['    metadata: { note: "${env:NOTE}" }'])
    expectSafe(await h.run(['apply', '--auto-approve'], {env: {NOTE: ''}}), h, {
      exitCode: 1,
      requests: 'none',
      says: /NOTE is set but empty/,
    })
  })

  it('an empty variable is only a warning for validate', async () => {
    const h = await project(['    metadata: { note: "${env:NOTE}" }'])
    expectSafe(await h.run(['validate'], {env: {NOTE: ''}}), h, {exitCode: 0, requests: 'none', says: /warning/})
  })

  it('a URL that is not a URL once substituted: its line, never its value, in no output or file', async () => {
    const h = await project([
      '    realtime_endpoints:',
      '      - { type: webhook, url: "${env:HOOK_URL}", events: [participant_events.join] }',
    ])
    const result = await h.run(['plan', '--out', 'plan.json', '--format', 'json'], {env: {HOOK_URL: `not a url ${SECRET}`}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', secrets: [SECRET], says: [/"line": 5/, /\$\{env:HOOK_URL\}/]})
  })

  it('an endpoint that lands on localhost once substituted: refused, the host not shown', async () => {
    const host = `${SECRET.toLowerCase()}.localhost`
    const h = await project([
      '    realtime_endpoints:',
      '      - { type: webhook, url: "https://${env:HOOK_HOST}/r", events: [participant_events.join] }',
    ])
    const result = await h.run(['apply', '--auto-approve'], {env: {HOOK_HOST: host}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', secrets: [host], says: /Recall cannot reach/})
  })

  it('a secret in free text plans, and shows in no output or saved plan', async () => {
    const h = await project([
      '    realtime_endpoints:',
      '      - { type: webhook, url: "https://hooks.example.com/r?token=${env:HOOK_TOKEN}", events: [participant_events.join] }',
      '    metadata: { note: "${env:HOOK_TOKEN}" }',
    ])
    const result = await h.run(['plan', '--out', 'plan.json', '--format', 'markdown'], {env: {HOOK_TOKEN: SECRET}})
    expectSafe(result, h, {exitCode: 0, requests: 'reads', secrets: [SECRET]})
  })
})

describe('values quoted by diagnostics are redacted by structure', () => {
  it('a URL in the wrong place (plan --out, --format json): no password, no query value', async () => {
    const h = await project([])
    h.write(
      'recordings/e2e.yaml',
      recordings(h, []).replace(
        'retention: { type: timed, hours: 24 }',
        `retention: "https://u:${PASSWORD}@x.example.com/?sig=${SIGNATURE}"`,
      ),
    )
    const result = await h.run(['plan', '--out', 'plan.json', '--format', 'json'], {env: {}})
    expectSafe(result, h, {exitCode: 1, requests: 'none', secrets: [PASSWORD, SIGNATURE], says: /<redacted>/})
    expect(readWritten(h, 'plan.json')).toContain('retention')
  })

  it('a secret-named metadata value that is a number (plan --json and markdown)', async () => {
    const h = await project([`    metadata: { api_key: ${NUMBER} }`])
    expectSafe(await h.run(['plan', '--json'], {env: {}}), h, {
      exitCode: 1,
      requests: 'none',
      secrets: [NUMBER],
      says: /metadata\.api_key/,
    })
    expectSafe(await h.run(['plan', '--format', 'markdown', '--out', 'plan.json'], {env: {}}), h, {
      exitCode: 1,
      requests: 'none',
      secrets: [NUMBER],
    })
  })

  it('validate: secret-named values in artifact metadata and URLs in the wrong place', async () => {
    const h = await project([
      `    video_mixed_mp4: { metadata: { password: ${NUMBER} } }`,
      `    video_mixed_layout: "https://x.example.com/?token=${SIGNATURE}"`,
    ])
    expectSafe(await h.run(['validate', '--json'], {env: {}}), h, {
      exitCode: 1,
      requests: 'none',
      secrets: [NUMBER, SIGNATURE],
      says: /password/,
    })
  })
})

describe("Recall's error bodies are scrubbed before they reach a terminal", () => {
  it('a 400 quoting the sent URL, password, token and secret metadata, raw and encoded, with control characters', async () => {
    const h = await project([
      '    realtime_endpoints:',
      `      - { type: webhook, url: "https://bot:${PASSWORD}@hooks.example.com/r?sig=\${env:HOOK_TOKEN}", events: [participant_events.join] }`,
      `    metadata: { api_key: "${META}", team: e2e }`,
    ])
    const url = `https://bot:${PASSWORD}@hooks.example.com/r?sig=${SECRET}`
    h.sandbox.injectFault({
      kind: 'status',
      method: 'POST',
      path: '/api/v1/bot/*/start_recording/',
      status: 400,
      count: null,
      body: {
        realtime_endpoints: [{url: [`Enter a valid URL: ${url} (${encodeURIComponent(url)})`]}],
        metadata: [
          `bad metadata {"api_key": "${META}"} ${Buffer.from(`bot:${PASSWORD}`).toString('base64')} ${Buffer.from(META).toString('base64')}`,
        ],
        non_field_errors: [`\u001b[2J\u001b[31mFAKE: all good\u001b[0m\r\u202e${SECRET}\u0007`],
      },
    })
    const result = await h.run(['apply', '--auto-approve'], {env: {HOOK_TOKEN: SECRET}})
    expectSafe(result, h, {exitCode: [1, 3], requests: 'any', secrets: [SECRET, PASSWORD, META, `bot:${PASSWORD}`]})
    const output = result.stdout + result.stderr
    expect(output).toMatch(/Recall answered 400/)
    expect(output).not.toMatch(/[\u001b\u0007\r\u202e]/)
    for (const form of encodingsOf(PASSWORD)) expect(output).not.toContain(form)
  })
})
