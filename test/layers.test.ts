import {execFile} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)
const fixture = mkdtempSync(path.join(tmpdir(), 'recallctl-layers-'))
afterAll(() => rmSync(fixture, {recursive: true, force: true}))

/** Runs dependency-cruiser with the project's own rules over a small tree of `files`. */
async function cruise(files: Record<string, string>): Promise<{code: number; output: string}> {
  const dir = mkdtempSync(path.join(fixture, 'tree-'))
  copyFileSync(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), {recursive: true})
    writeFileSync(path.join(dir, file), text)
  }
  const bin = path.join(root, 'node_modules/.bin/depcruise')
  try {
    const {stdout} = await run(bin, ['src', '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
      cwd: dir,
    })
    return {code: 0, output: stdout}
  } catch (error) {
    const failed = error as {code?: number; stdout?: string; stderr?: string}
    return {code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`}
  }
}

// The layer rules (.dependency-cruiser.cjs) are shown to catch what they are for, on deliberately wrong
// trees; `npm run lint` runs the same rules over src/.
describe('layer rules', () => {
  it('accept a tree that follows the pipeline', async () => {
    const result = await cruise({
      'src/shared/digest.ts': 'export const digest = (s: string) => s\n',
      'src/diff/diff.ts': "import {digest} from '../shared/digest.js'\nexport const diff = () => digest('x')\n",
      'src/app/plan.ts': "import {diff} from '../diff/diff.js'\nexport const plan = () => diff()\n",
      'src/commands/plan.ts': "import {plan} from '../app/plan.js'\nexport default plan\n",
    })
    expect(result.output).toMatch(/no dependency violations found/)
    expect(result.code).toBe(0)
  })

  it('refuse a core stage that reads files, and a stage that imports upward', async () => {
    const result = await cruise({
      'src/app/plan.ts': 'export const plan = 1\n',
      'src/diff/diff.ts':
        "import {readFileSync} from 'node:fs'\nimport {plan} from '../app/plan.js'\nexport const diff = () => readFileSync('x') && plan\n",
      'src/commands/plan.ts': "import {diff} from '../diff/diff.js'\nexport default diff\n",
    })
    expect(result.code).not.toBe(0)
    expect(result.output).toMatch(/core-is-pure: src\/diff\/diff\.ts → (node:)?fs/)
    expect(result.output).toMatch(/no-upward-from-diff: src\/diff\/diff\.ts → src\/app\/plan\.ts/)
  })

  it('refuse the sandbox outside the places that start it, and config importing it', async () => {
    const result = await cruise({
      'src/sandbox/seed.ts': 'export const seed = 1\n',
      'src/config/schema.ts': "import {seed} from '../sandbox/seed.js'\nexport const schema = seed\n",
      'src/commands/validate.ts': "import {schema} from '../config/schema.js'\nexport default schema\n",
    })
    expect(result.code).not.toBe(0)
    expect(result.output).toMatch(/sandbox-only-where-started: src\/config\/schema\.ts → src\/sandbox\/seed\.ts/)
  })

  it('refuse the HTTP client in a pure stage, and import cycles', async () => {
    const result = await cruise({
      'src/recall/client/client.ts': 'export const client = 1\n',
      'src/render/a.ts':
        "import {client} from '../recall/client/client.js'\nimport {b} from './b.js'\nexport const a = () => client + b()\n",
      'src/render/b.ts': "import {a} from './a.js'\nexport const b = () => (a ? 1 : 0)\n",
      'src/commands/show.ts': "import {a} from '../render/a.js'\nexport default a\n",
    })
    expect(result.code).not.toBe(0)
    expect(result.output).toMatch(/core-is-pure: src\/render\/a\.ts → src\/recall\/client\/client\.ts/)
    expect(result.output).toMatch(/no-circular/)
  })
})
