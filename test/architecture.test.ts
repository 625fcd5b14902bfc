import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import {globSync} from 'tinyglobby'
import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The core stages: pure functions over plain data (DESIGN.md, "The pipeline"); the one list (core-files.cjs). */
const CORE = (createRequire(import.meta.url)('../core-files.cjs') as {CORE_FILES: string[]}).CORE_FILES

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

describe("ESLint keeps the globals out of the core (imports are dependency-cruiser's, test/layers.test.ts)", () => {
  const impure = [
    'export const now = () => Date.now()',
    'export const stamp = () => new Date()',
    'export const later = (f: () => void) => setTimeout(f, 1)',
    'export const env = () => process.env.HOME',
    'const {argv} = process\nexport const args = argv',
    'export const t = () => performance.now()',
  ]

  it.each(impure)('refuses %j in a core file, and allows it in app/', async (code) => {
    const eslint = new ESLint({cwd: root})
    const [core] = await eslint.lintText(`${code}\n`, {filePath: `${root}/src/diff/impure.ts`})
    expect(core!.messages.map((m) => m.message).join('\n')).toMatch(/core stages are pure/)
    const [app] = await eslint.lintText(`${code}\n`, {filePath: `${root}/src/app/impure.ts`})
    expect(app!.messages.filter((m) => /core stages are pure/.test(m.message))).toEqual([])
  })

  it('allows a date made from a value (parsing is pure)', async () => {
    const eslint = new ESLint({cwd: root})
    const [result] = await eslint.lintText('export const at = (iso: string) => new Date(iso)\n', {
      filePath: `${root}/src/diff/pure.ts`,
    })
    expect(result!.messages).toEqual([])
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
