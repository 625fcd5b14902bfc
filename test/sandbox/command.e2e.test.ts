import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import SandboxCommand from '../../src/commands/sandbox.js'
import {runStandalone, SANDBOX_API_KEY, type StandaloneInfo} from '../../src/sandbox/index.js'
import {emptyProject, REPO_ROOT as root, startCli} from '../support/e2e.js'
import {botSeed, call, control} from './helpers.js'

const builtCommand = path.join(root, 'dist/commands/sandbox.js')

/** An empty folder from the project builder, removed at test end. */
const tempDir = async (): Promise<string> => emptyProject().dir

describe('standalone sandbox', () => {
  it('serves until stopped, with the printed key and admin token, and saves its state file', async () => {
    const file = path.join(await tempDir(), 'world.json')
    const stop = new AbortController()
    let info: StandaloneInfo | undefined
    const running = runStandalone({port: 0, stateFile: file}, (ready) => (info = ready), stop.signal)
    await expect.poll(() => info).toBeDefined()
    const s = {url: info!.url, apiKey: info!.api_key, adminToken: info!.admin_token}
    expect(s.apiKey).toBe(SANDBOX_API_KEY)
    const seed = botSeed('in_call_not_recording')
    expect((await control(s as never, 'POST', 'bots', seed)).status).toBe(201)
    expect((await call(s as never, `/api/v1/bot/${seed.id}/start_recording/`, {body: {}})).status).toBe(200)
    stop.abort()
    await running
    await expect(fetch(`${s.url}/api/v1/bot/`)).rejects.toThrow()
    expect(JSON.parse(await readFile(file, 'utf8')).bots[0].recordings).toHaveLength(1)
  })
})

describe('recallctl sandbox --reset', () => {
  it("deletes the project's embedded state file and exits", async () => {
    const dir = await tempDir()
    const file = path.join(dir, '.recallctl', 'sandbox.json')
    await mkdir(path.dirname(file), {recursive: true})
    await writeFile(file, '{}')
    await SandboxCommand.run(['--reset', '--dir', dir, '--json'], root)
    expect(existsSync(file)).toBe(false)
    // Nothing to delete is not an error.
    await SandboxCommand.run(['--reset', '--dir', dir], root)
  })

  it('deletes the --state file instead when given', async () => {
    const dir = await tempDir()
    const file = path.join(dir, 'other.json')
    await writeFile(file, '{}')
    await SandboxCommand.run(['--reset', '--state', file], root)
    expect(existsSync(file)).toBe(false)
  })
})

describe('recallctl sandbox (the built CLI)', () => {
  it.skipIf(!existsSync(builtCommand))('prints its connection details, serves, and stops cleanly on SIGINT', async () => {
    const project = emptyProject()
    const file = path.join(project.dir, 'state.json')
    const sandbox = startCli(['sandbox', '--port', '0', '--json', '--state', file], {cwd: project.dir, env: project.env})
    await expect.poll(() => sandbox.stdout().includes('\n'), {timeout: 20_000}).toBe(true)
    const info = JSON.parse(sandbox.stdout().split('\n')[0]!) as StandaloneInfo
    expect(info).toMatchObject({api_key: SANDBOX_API_KEY, state_file: file})
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const s = {url: info.url, apiKey: info.api_key, adminToken: info.admin_token}
    await control(s as never, 'POST', 'bots', botSeed('in_call_recording'))
    expect((await call(s as never, '/api/v1/bot/')).body.count).toBe(1)
    expect((await sandbox.stop('SIGINT')).code).toBe(0)
    expect(JSON.parse(await readFile(file, 'utf8')).bots).toHaveLength(1)
  })
})
