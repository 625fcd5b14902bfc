import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect} from 'vitest'

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden')

/**
 * Compares `actual` with test/render/golden/<name>. `UPDATE_GOLDEN=1 npx vitest run test/render` rewrites
 * the files (review the git diff). A missing file fails rather than being written, so a golden test can't
 * pass without a reviewed expectation.
 */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(file, actual)
    return
  }
  let expected: string
  try {
    expected = readFileSync(file, 'utf8')
  } catch {
    throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run test/render and review it`)
  }
  expect(actual, `output differs from golden/${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(expected)
}
