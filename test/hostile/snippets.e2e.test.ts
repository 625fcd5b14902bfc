import {describe, expect, it} from 'vitest'
import {expectSafe, hostileProject} from './support/hostile.js'

/**
 * The source line shown under a diagnostic (human view) and carried as `snippet` (--json) never shows
 * a URL's password or query values, nor a value under a secret-named metadata key, even when the
 * problem sits on that very line.
 */

const PASSWORD = 'Pw-snippet-5e2a91'
const QUERY = 'Qv-snippet-7b3c04'
const TOKEN = 'Tk-snippet-c81f6d'

function broken(ids: readonly string[]): string {
  return [
    'profiles:',
    '  e2e:',
    '    retention: { type: timed, hours: 24 }',
    `    realtime_endpoints: [{type: webhook, url: "https://u:${PASSWORD}@hooks.example/x?sig=${QUERY}", events: [nope.event]}]`,
    `    metadata: {api_token: ${TOKEN}, team: [not, text]}`,
    'assignments:',
    '  - profile: e2e',
    '    bots:',
    ...ids.map((id) => `      - ${id}`),
    '',
  ].join('\n')
}

describe('snippets under diagnostics', () => {
  it('validate shows the line underlined, with the password, query value and secret metadata value redacted', async () => {
    const h = await hostileProject({bots: 1})
    h.write('recordings/e2e.yaml', broken(h.ids))
    const result = await h.run(['validate'])
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'none',
      secrets: [PASSWORD, QUERY, TOKEN],
      says: /recordings\/e2e\.yaml:5:\d+: error: /,
    })
    expect(result.stdout).toMatch(/^ {2}5 \| {5}metadata: \{api_token: <redacted>, team: \[not, text\]\}$/m)
    expect(result.stdout).toMatch(/^ {4}\| +\^+$/m)
    expect(result.stdout).toContain('https://<redacted>@hooks.example/x?sig=<redacted>')
  })

  it('validate --json carries range and snippet, redacted, beside file, line and column', async () => {
    const h = await hostileProject({bots: 1})
    h.write('recordings/e2e.yaml', broken(h.ids))
    const result = await h.run(['validate', '--json'])
    expectSafe(result, h, {exitCode: 1, requests: 'none', secrets: [PASSWORD, QUERY, TOKEN]})
    const {diagnostics} = JSON.parse(result.stdout) as {diagnostics: Array<Record<string, unknown>>}
    const team = diagnostics.find((d) => d.line === 5)
    expect(team).toMatchObject({
      file: 'recordings/e2e.yaml',
      range: {start: {line: 5, column: team?.column}, end: {line: 5}},
      snippet: {line: 5, text: '    metadata: {api_token: <redacted>, team: [not, text]}'},
    })
  })
})
