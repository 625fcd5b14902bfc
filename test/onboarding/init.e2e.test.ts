import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import {describe, expect, test} from 'vitest'
import {schemaErrors} from '../foundation/support/json-schema-check.js'
import {emptyProject, runCli, type TestProject} from '../support/e2e.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const schema = (name: string) => JSON.parse(readFileSync(path.join(REPO, 'schemas', name), 'utf8')) as Record<string, unknown>

const emptyFolder = (): TestProject => emptyProject()

const read = (p: TestProject, file: string) => readFileSync(path.join(p.dir, file), 'utf8')

describe('recallctl init', () => {
  test('--sandbox in an empty folder: files that validate against the schemas, and plan runs at once', async () => {
    const p = emptyFolder()
    const init = await runCli(p, ['init', '--sandbox'])
    expect(init.code, init.stderr).toBe(0)
    for (const file of [
      'recall.config.yaml',
      'recordings/default.yaml',
      'schemas/recall.config.schema.json',
      'schemas/recordings.schema.json',
      '.gitignore',
      '.github/workflows/recallctl-plan.yml',
      '.github/workflows/recallctl-apply.yml',
    ])
      expect(existsSync(path.join(p.dir, file)), file).toBe(true)
    expect(read(p, '.gitignore')).toMatch(/^\.recallctl\/$/m)
    // The next three commands.
    expect(init.stdout).toMatch(/Next:\n {2}recallctl validate\n {2}recallctl plan\n {2}recallctl apply/)

    for (const [file, schemaFile] of [
      ['recall.config.yaml', 'recall.config.schema.json'],
      ['recordings/default.yaml', 'recordings.schema.json'],
    ] as const) {
      const text = read(p, file)
      const line = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text.split('\n')[0] as string)
      expect(line, file).not.toBeNull()
      expect(path.resolve(path.dirname(path.join(p.dir, file)), line?.[1] as string)).toBe(
        path.join(p.dir, 'schemas', schemaFile),
      )
      expect(read(p, `schemas/${schemaFile}`)).toBe(readFileSync(path.join(REPO, 'schemas', schemaFile), 'utf8'))
      expect(schemaErrors(schema(schemaFile), parse(text))).toEqual([])
    }
    expect(
      (parse(read(p, 'recordings/default.yaml')) as {profiles: {default: {retention: unknown}}}).profiles.default.retention,
    ).toBeDefined()

    const validate = await runCli(p, ['validate', '--json'])
    expect(validate.code, validate.stdout + validate.stderr).toBe(0)
    expect((JSON.parse(validate.stdout) as {diagnostics: unknown[]}).diagnostics).toEqual([])

    const plan = await runCli(p, ['plan', '--json'])
    expect(plan.code, plan.stderr).toBe(0)
    const planned = JSON.parse(plan.stdout) as {summary: Record<string, number>}
    expect(planned.summary['start']).toBe(1)
  })

  test('never overwrites: a second run and an existing file are skipped and reported', async () => {
    const p = emptyFolder()
    p.write('recall.config.yaml', '# mine\n')
    p.write('.gitignore', 'node_modules/\n.recallctl/\n')
    const first = await runCli(p, ['init', '--region', 'eu-central-1', '--ci', 'gitlab'])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/recall\.config\.yaml +skipped \(exists\)/)
    expect(read(p, 'recall.config.yaml')).toBe('# mine\n')
    expect(read(p, '.gitignore')).toBe('node_modules/\n.recallctl/\n')
    expect(existsSync(path.join(p.dir, '.gitlab-ci.yml'))).toBe(true)
    expect(existsSync(path.join(p.dir, '.github'))).toBe(false)
    const written = read(p, 'recordings/default.yaml')
    const second = await runCli(p, ['init', '--region', 'eu-central-1', '--ci', 'gitlab', '--json'])
    expect(second.code).toBe(0)
    const report = JSON.parse(second.stdout) as {files: Array<{file: string; outcome: string}>}
    expect(report.files.every((f) => f.outcome === 'exists')).toBe(true)
    expect(read(p, 'recordings/default.yaml')).toBe(written)
  })

  test('--region: the config names the region and validates offline', async () => {
    const p = emptyFolder()
    expect((await runCli(p, ['init', '--region', 'us-west-2', '--ci', 'none'])).code).toBe(0)
    expect(parse(read(p, 'recall.config.yaml'))).toMatchObject({api: {region: 'us-west-2'}})
    const validate = await runCli(p, ['validate'])
    expect(validate.code, validate.stdout + validate.stderr).toBe(0)
  })
})
