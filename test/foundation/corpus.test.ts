import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, test} from 'vitest'
import {readProject} from '../../src/load/read-project.js'
import {formatLocation, type Diagnostic} from '../../src/shared/diagnostics.js'
import {validateProject} from '../../src/validate/validate-project.js'
import {CORPUS, DISK_CORPUS, type ExpectedDiagnostic} from './corpus-cases.js'
import {runProject} from './support/project.js'

const shown = (d: Diagnostic): string => `${formatLocation(d) || '(no location)'} ${d.severity} [${d.code}] ${d.message}`

const matches = (d: Diagnostic, e: ExpectedDiagnostic): boolean =>
  formatLocation(d) === e.at &&
  d.severity === e.severity &&
  d.code === e.code &&
  e.message.every((part) => d.message.includes(part)) &&
  (e.related === undefined || e.related.every((at) => (d.related ?? []).some((r) => formatLocation(r) === at)))

/**
 * Every expected diagnostic is produced (once), and nothing else: no unexpected error, no unexpected
 * warning unless its code is ignored by the case.
 */
function expectExactly(
  actual: readonly Diagnostic[],
  expected: readonly ExpectedDiagnostic[],
  ignore: readonly string[] = [],
): void {
  const unmatched = [...actual]
  const missing: ExpectedDiagnostic[] = []
  for (const e of expected) {
    const i = unmatched.findIndex((d) => matches(d, e))
    if (i === -1) missing.push(e)
    else unmatched.splice(i, 1)
  }
  const unexpected = unmatched.filter((d) => d.severity === 'error' || !ignore.includes(d.code))
  const all = actual.map(shown).join('\n')
  expect(missing, `expected diagnostics not produced; the run gave:\n${all}`).toEqual([])
  expect(unexpected.map(shown), `unexpected diagnostics; the run gave:\n${all}`).toEqual([])
}

describe('corpus of malformed projects', () => {
  test('has at least 35 cases with distinct names', () => {
    expect(CORPUS.length + DISK_CORPUS.length).toBeGreaterThanOrEqual(35)
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length)
  })

  test.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = runProject(c.files, c.options)
    expectExactly(run.diagnostics, c.expected, c.ignore)
  })

  test.each(CORPUS.map((c) => [c.name, c] as const))('every diagnostic points inside its file: %s', (_name, c) => {
    const run = runProject(c.files, c.options)
    for (const d of run.diagnostics) {
      if (d.file === undefined) continue
      const lines = (c.files[d.file] ?? '').split('\n')
      expect(d.line, shown(d)).toBeGreaterThanOrEqual(1)
      expect(d.line as number, shown(d)).toBeLessThanOrEqual(lines.length)
      expect(d.column, shown(d)).toBeGreaterThanOrEqual(1)
    }
  })
})

describe('corpus cases read from disk', () => {
  test.each(DISK_CORPUS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const root = mkdtempSync(path.join(tmpdir(), 'recallctl-corpus-'))
    try {
      for (const [file, text] of Object.entries(c.files)) {
        mkdirSync(path.dirname(path.join(root, file)), {recursive: true})
        writeFileSync(path.join(root, file), text)
      }
      const loaded = await readProject(root)
      const validated = validateProject(loaded, {env: {}, unset: 'warning'})
      expectExactly(validated.diagnostics, c.expected)
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
  })
})

describe('secrets in diagnostics', () => {
  test('a localhost endpoint error shows only the origin, never the path or the query', () => {
    const localhostCase = CORPUS.find((c) => c.name.startsWith('a real-time endpoint on localhost'))
    const run = runProject(localhostCase!.files)
    const text = run.diagnostics.map((d) => d.message).join('\n')
    expect(text).toContain('http://localhost:8080')
    expect(text).not.toContain('token=abc')
    expect(text).not.toContain('/hook')
  })

  test('an unset-variable diagnostic names the variable, and a set one is never shown', () => {
    const files = CORPUS.find((c) => c.name === 'an unset ${env:} variable is an error for plan')!.files
    const unset = runProject(files, {mode: 'plan', env: {}})
    expect(unset.diagnostics.map((d) => d.message).join('\n')).toContain('HOOK_TOKEN')
    const set = runProject(files, {mode: 'plan', env: {HOOK_TOKEN: 's3cr3t-value'}})
    expect(set.diagnostics).toEqual([])
    expect(JSON.stringify(set.resolved.profiles)).not.toContain('s3cr3t-value')
  })
})
