import {test} from 'vitest'
import {writeFileSync} from 'node:fs'
import {startSandbox} from '../../src/sandbox/index.js'
import {runCli, tempDir, parseJson} from './support/cli.js'
import {API_KEY, ENV, PAGE_SIZE, seeds, writeProject, control, SALES, UNKNOWN_STATUS} from './support/workspace.js'
test('manual', async () => {
  const sandbox = await startSandbox({apiKey: API_KEY, rateLimits: false, pageSize: PAGE_SIZE})
  const p = await tempDir('manual-')
  await writeProject(p.dir, sandbox, {missing: true})
  const profiles = Object.fromEntries(parseJson<any[]>(await runCli(['profiles', '--json'], {cwd: p.dir, env: ENV})).map((x) => [x.name, x]))
  await control(sandbox, 'POST', 'reset', {bots: seeds(profiles)})
  await control(sandbox, 'POST', `bots/${SALES.unknown}/status`, {code: UNKNOWN_STATUS})
  const h = await runCli(['plan'], {cwd: p.dir, env: ENV})
  const m = await runCli(['plan', '--format', 'markdown'], {cwd: p.dir, env: ENV})
  const j = await runCli(['plan', '--json', '--target', '00000000-0000-4000-8000-000000000123'], {cwd: p.dir, env: ENV})
  writeFileSync('/tmp/manual/human.txt', `${h.code}\n${h.stdout}\n---stderr---\n${h.stderr}`)
  writeFileSync('/tmp/manual/md.txt', `${m.code}\n${m.stdout}\n---stderr---\n${m.stderr}`)
  writeFileSync('/tmp/manual/target.txt', `${j.code}\n${j.stdout}\n---stderr---\n${j.stderr}`)
  await sandbox.close(); await p.remove()
})
