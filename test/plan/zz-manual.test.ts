import {test} from 'vitest'
import {writeFileSync} from 'node:fs'
import {startSandbox} from '../../src/sandbox/index.js'
import {runCli, tempDir, parseJson} from './support/cli.js'
import {API_KEY, ENV, KEY_ENV, PAGE_SIZE, seeds, writeProject, control, SALES, UNKNOWN_STATUS} from './support/workspace.js'
test('manual', async () => {
  const sandbox = await startSandbox({apiKey: API_KEY, rateLimits: false, pageSize: PAGE_SIZE})
  const p = await tempDir('manual-')
  await writeProject(p.dir, sandbox, {missing: true})
  const profiles = Object.fromEntries(parseJson<any[]>(await runCli(['profiles', '--json'], {cwd: p.dir, env: ENV})).map((x) => [x.name, x]))
  await control(sandbox, 'POST', 'reset', {bots: seeds(profiles)})
  const out: string[] = []
  const r1 = await runCli(['plan'], {cwd: p.dir, env: {...ENV, [KEY_ENV]: 'wrong-key-1234'}})
  out.push(`wrong key: ${r1.code}\n${r1.stdout}\n${r1.stderr}`)
  await control(sandbox, 'POST', 'faults', [{kind: 'status', status: 500, method: 'GET', path: `/api/v1/bot/${SALES.noop}/`, count: null}])
  const r2 = await runCli(['plan'], {cwd: p.dir, env: ENV})
  out.push(`500: ${r2.code}\n${r2.stdout}\n${r2.stderr}`)
  await control(sandbox, 'DELETE', 'faults')
  await control(sandbox, 'POST', 'faults', [{kind: 'status', status: 503, method: 'GET', path: `/api/v1/bot/${SALES.noop}/`, count: null}])
  const r3 = await runCli(['plan', '--json'], {cwd: p.dir, env: ENV})
  out.push(`503 forever: ${r3.code}\n${r3.stdout.slice(0, 300)}\n${r3.stderr}`)
  writeFileSync('/tmp/manual/errors.txt', out.join('\n=========\n'))
  await sandbox.close(); await p.remove()
}, 120000)
