import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {globSync} from 'tinyglobby'
import {describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The core stages: pure functions over plain data (DESIGN.md, "The pipeline"). */
const CORE = [
  'src/validate/**/*.ts',
  'src/resolve/**/*.ts',
  'src/diff/**/*.ts',
  'src/render/**/*.ts',
  'src/shared/**/*.ts',
  'src/config/**/*.ts',
  'src/plan/**/*.ts',
  'src/load/source-document.ts',
  'src/refresh/snapshot.ts',
  'src/refresh/scope.ts',
  'src/execute/plan-to-calls.ts',
  'src/execute/stale.ts',
  'src/execute/stamp.ts',
  'src/execute/idempotency-key.ts',
  'src/execute/events.ts',
  'src/execute/verify-saved-plan.ts',
]

/** What a pure stage must not touch: the filesystem, the network, the clock, the process. */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['the filesystem', /from\s+['"](node:)?fs(\/promises)?['"]/],
  ['the network', /from\s+['"](undici|node:http|node:https|node:net|http|https|net)['"]/],
  ['the HTTP client', /from\s+['"][^'"]*recall\/client\/client\.js['"]/],
  ['the process', /\bprocess\.(env|argv|exit|stdout|stderr|stdin|cwd|on)\b/],
  ['the clock', /\bDate\.now\(|new Date\(\)|performance\.now\(/],
]

describe('core stages stay pure', () => {
  const files = globSync(CORE, {cwd: root}).sort()

  it('finds the core files', () => {
    expect(files.length).toBeGreaterThan(30)
  })

  it.each(files)('%s touches no filesystem, network, clock or process', (file) => {
    const text = readFileSync(`${root}/${file}`, 'utf8')
    const touched = FORBIDDEN.filter(([, pattern]) => pattern.test(text)).map(([what]) => what)
    expect(touched).toEqual([])
  })
})

describe('commands load only what they need', () => {
  it('no module that every command loads imports undici, p-queue or the sandbox statically', () => {
    const everyCommand = [
      'src/cli/base-command.ts',
      'src/cli/terminal.ts',
      'src/shared/user-error.ts',
      'src/shared/redact.ts',
      'src/shared/env-refs.ts',
    ]
    for (const file of everyCommand) {
      const text = readFileSync(`${root}/${file}`, 'utf8')
      expect(text, file).not.toMatch(/from\s+['"](undici|p-queue)['"]/)
      expect(text, file).not.toMatch(/from\s+['"][^'"]*sandbox\//)
    }
  })
})
