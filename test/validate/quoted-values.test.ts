import {describe, expect, test} from 'vitest'
import {runProject, withConfig, yaml} from '../foundation/support/project.js'

/** Every value a diagnostic quotes is redacted by structure and cut short. */

const A = 'recordings/a.yaml'
const BOT = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
const messages = (files: Record<string, string>) =>
  runProject(files, {mode: 'plan'})
    .diagnostics.map((d) => d.message)
    .join('\n')
const profile = (...lines: string[]) =>
  withConfig({[A]: yaml('profiles:', '  p:', ...lines, 'assignments:', '  - profile: p', `    bots: [${BOT}]`)})

describe('values quoted by diagnostics', () => {
  test('a URL where it does not belong shows no userinfo and no query values', () => {
    const shown = messages(profile('    retention: "https://u:PASSWORD-1@x.example.com/?sig=SIGNATURE-2&a=b"'))
    expect(shown).toMatch(/retention/)
    expect(shown).not.toMatch(/PASSWORD-1|SIGNATURE-2/)
    expect(shown).toContain('https://<redacted>@x.example.com/?sig=<redacted>')
  })

  test.each([
    ['a number', '987654321', '987654321'],
    ['a boolean', 'true', '"true"'],
    ['a list', '[987654321]', '987654321'],
  ])('a secret-named metadata value that is %s is never quoted', (_kind, value, forbidden) => {
    const shown = messages(
      profile('    retention: {type: forever}', `    metadata: {api_key: ${value}, session_token: ${value}}`),
    )
    expect(shown).toMatch(/metadata\.api_key/)
    expect(shown).not.toContain(forbidden)
  })

  test('a secret-named value in artifact metadata and in a match selector is never quoted', () => {
    const files = withConfig({
      [A]: yaml(
        'profiles:',
        '  p:',
        '    retention: {type: forever}',
        '    video_mixed_mp4: {metadata: {password: 13572468}}',
        'assignments:',
        '  - profile: p',
        '    match: {metadata: {secret_id: 24681357}}',
      ),
    })
    const shown = messages(files)
    expect(shown).toMatch(/password/)
    expect(shown).toMatch(/secret_id/)
    expect(shown).not.toMatch(/13572468|24681357/)
  })

  test('a non-secret value is quoted, so the user sees what is wrong', () => {
    expect(messages(profile('    video_mixed_layout: speaker_vew'))).toContain('"speaker_vew"')
    expect(messages(profile('    retention: {type: forever}', '    metadata: {team: 42}'))).toContain('Quote it: team: "42"')
  })

  test('long values and keys are cut to 80 characters, with an ellipsis', () => {
    const long = `x${'y'.repeat(500)}`
    const shown = messages(profile(`    video_mixed_layout: ${long}`, `    ${long}z: 1`))
    expect(shown).not.toContain('y'.repeat(80))
    expect(shown).toContain('…')
  })

  test('control and bidi characters in a value or a key are shown escaped', () => {
    const shown = messages(profile('    video_mixed_layout: "a\\e[31mb\\u202ec"', '    "k\\e[2Jk": 1'))
    expect(shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/)
    expect(shown).toMatch(/\\u001b/)
  })
})
