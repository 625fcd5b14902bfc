// Cold start of the built CLI as a ratio to `node -e 0`, measured in the same run, interleaved, and
// what each command loads (nothing heavy that it does not use).
import {readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {buildRoot, CLI_ENV, check, median, ROOT, run, runJs} from './lib.mjs'

const TRACE = fileURLToPath(new URL('./module-trace.mjs', import.meta.url))

export const COMMANDS = {
  help: ['--help'],
  validate: ['validate'],
}

/**
 * `runs` rounds; in each, `node -e 0` then every command, each a fresh process, so that drift in the
 * machine's load touches all of them alike. Wall time from spawn to exit; the median of each.
 */
export async function coldStart({runs = 7} = {}) {
  const samples = {node: [], ...Object.fromEntries(Object.keys(COMMANDS).map((name) => [name, []]))}
  // One warm-up round: the file system cache, not the process, is what a first run would measure.
  await run(process.execPath, ['-e', '0'])
  for (const args of Object.values(COMMANDS))
    check(await run(process.execPath, [runJs(), ...args], {cwd: ROOT}), `recallctl ${args.join(' ')}`)
  for (let i = 0; i < runs; i++) {
    samples.node.push((await run(process.execPath, ['-e', '0'])).ms)
    for (const [name, args] of Object.entries(COMMANDS))
      samples[name].push(check(await run(process.execPath, [runJs(), ...args], {cwd: ROOT}), `recallctl ${args.join(' ')}`).ms)
  }
  const nodeMs = median(samples.node)
  const result = {runs, nodeMs}
  for (const name of Object.keys(COMMANDS)) result[name] = {ms: median(samples[name]), ratio: median(samples[name]) / nodeMs}
  return result
}

/** Packages and build folders a command loads (ESM and CommonJS), from one traced run. */
export async function modulesLoaded(args) {
  const out = path.join(os.tmpdir(), `recallctl-bench-modules-${process.pid}.json`)
  check(
    await run(process.execPath, ['--import', TRACE, runJs(), ...args], {
      cwd: ROOT,
      env: {...CLI_ENV, RECALLCTL_BENCH_MODULES: out},
    }),
    `traced recallctl ${args.join(' ')}`,
  )
  const urls = JSON.parse(await readFile(out, 'utf8'))
  await rm(out, {force: true})
  const files = urls.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url))
  const packages = new Set()
  const dist = new Set()
  for (const file of files) {
    const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file)
    if (inPackage) packages.add(`${inPackage[1]}${inPackage[2].endsWith('.cjs') || /\/cjs\//.test(inPackage[2]) ? ' (cjs)' : ''}`)
    else if (file.startsWith(path.join(buildRoot(), 'dist'))) dist.add(path.relative(path.join(buildRoot(), 'dist'), file))
  }
  return {count: files.length, packages: [...packages].sort(), dist: [...dist].sort()}
}
