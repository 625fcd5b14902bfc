import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

const dir = join(import.meta.dirname, '../../src/recall/client')
// Modules that may load undici: the client itself, and the index that re-exports it.
const MAY_LOAD_UNDICI = new Set(['client.ts', 'index.ts'])

const importsOf = (file: string): string[] =>
  [...readFileSync(join(dir, file), 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] as string,
  )

describe('undici stays in the client module', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'))

  it.each(files.filter((f) => !MAY_LOAD_UNDICI.has(f)))('%s loads neither undici nor the client', (file) => {
    const imports = importsOf(file)
    expect(imports).not.toContain('undici')
    expect(imports).not.toContain('./client.js')
    expect(imports).not.toContain('./index.js')
  })

  it('client.ts is where undici is loaded', () => {
    expect(importsOf('client.ts')).toContain('undici')
  })
})
