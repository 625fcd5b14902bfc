import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {openEmbeddedSandbox, SANDBOX_API_KEY, SandboxStateFileError} from '../../src/sandbox/index.js'
import {botPath, botSeed, call, startPath} from './helpers.js'

const dirs: string[] = []
async function stateFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recallctl-sandbox-'))
  dirs.push(dir)
  return path.join(dir, '.recallctl', 'sandbox.json')
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, {recursive: true, force: true})))
})

describe('embedded sandbox (api.base_url: sandbox)', () => {
  it('seeds on first use, keeps the world across runs, and answers with the fixed sandbox key', async () => {
    const file = await stateFile()
    const seed = botSeed('in_call_not_recording', {metadata: {team: 'sales'}})
    const first = await openEmbeddedSandbox({stateFile: file, seeds: [seed]})
    expect(first.apiKey).toBe(SANDBOX_API_KEY)
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const started = await call(first, startPath(seed.id), {body: {metadata: {recallctl_digest: 'v1:abc'}}})
    expect(started.status).toBe(200)
    await first.close()

    // Different seeds on a later run do not matter: the state file wins.
    const second = await openEmbeddedSandbox({stateFile: file, seeds: [botSeed('ready')]})
    const read = await call(second, botPath(seed.id))
    expect(read.body).toEqual(started.body)
    expect(second.core.bots.size).toBe(1)
    await second.close()
  })

  it('replays an idempotent request from an earlier run within the hour', async () => {
    const file = await stateFile()
    const seed = botSeed('in_call_not_recording')
    const first = await openEmbeddedSandbox({stateFile: file, seeds: [seed]})
    const original = await call(first, startPath(seed.id), {body: {}, idempotencyKey: 'apply-1'})
    await first.close()
    const second = await openEmbeddedSandbox({stateFile: file, seeds: []})
    const replay = await call(second, startPath(seed.id), {body: {}, idempotencyKey: 'apply-1'})
    expect(replay.body).toEqual(original.body)
    expect(second.bot(seed.id)!.recordings).toHaveLength(1)
    await second.close()
  })

  it('saves after each change, so a run that never closes loses nothing it answered', async () => {
    const file = await stateFile()
    const seed = botSeed('in_call_not_recording')
    const running = await openEmbeddedSandbox({stateFile: file, seeds: [seed]})
    await call(running, startPath(seed.id), {body: {metadata: {n: '1'}}})
    await expect.poll(async () => JSON.parse(await readFile(file, 'utf8')).bots[0].recordings.length, {timeout: 5000}).toBe(1)
    await running.close()
  })

  it('writes atomically: no temporary files are left, and the file is valid JSON after many writes', async () => {
    const file = await stateFile()
    const seed = botSeed('in_call_not_recording')
    const s = await openEmbeddedSandbox({stateFile: file, seeds: [seed]})
    await Promise.all(Array.from({length: 40}, (_, i) => call(s, startPath(seed.id), {body: {metadata: {i: String(i)}}})))
    await s.close()
    expect(await readdir(path.dirname(file))).toEqual(['sandbox.json'])
    const saved = JSON.parse(await readFile(file, 'utf8'))
    expect(saved.bots[0].recordings).toHaveLength(40)
  })

  it('refuses an unreadable state file and leaves it untouched', async () => {
    const file = await stateFile()
    const first = await openEmbeddedSandbox({stateFile: file, seeds: []})
    await first.close()
    await writeFile(file, '{"format": "something else"}')
    await expect(openEmbeddedSandbox({stateFile: file, seeds: []})).rejects.toThrow(SandboxStateFileError)
    await expect(openEmbeddedSandbox({stateFile: file, seeds: []})).rejects.toThrow(/sandbox --reset/)
    expect(await readFile(file, 'utf8')).toBe('{"format": "something else"}')
    await writeFile(file, 'not json')
    await expect(openEmbeddedSandbox({stateFile: file, seeds: []})).rejects.toThrow(/not JSON/)
  })

  it('refuses bad seeds with every problem named', async () => {
    const file = await stateFile()
    await expect(openEmbeddedSandbox({stateFile: file, seeds: [{id: 'x', status: 'ready'} as never]})).rejects.toThrow(
      /bots\[0\]\.id/,
    )
  })
})
