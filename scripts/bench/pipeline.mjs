// validate + resolve + diff with no network for a large project, each run in a fresh process so that
// the figures are a cold CLI's and the peak RSS is the pipeline's own.
import {fileURLToPath} from 'node:url'
import {check, median, run, tempDir} from './lib.mjs'
import {LARGE_PROJECT, writeLargeProject} from './large-project.mjs'

const CHILD = fileURLToPath(new URL('./pipeline-child.mjs', import.meta.url))

export async function pipeline({runs = 3} = {}) {
  const dir = await tempDir('recallctl-bench-large-')
  const project = await writeLargeProject(dir, LARGE_PROJECT)
  const samples = []
  for (let i = 0; i < runs; i++) {
    const result = check(
      await run(process.execPath, [CHILD, dir], {env: {...process.env, NODE_ENV: 'production'}}),
      'the pipeline benchmark',
    )
    samples.push(JSON.parse(result.stdout))
  }
  const first = samples[0]
  if (first.errorCount > 0) throw new Error(`the generated project has errors: ${first.errors.join('; ')}`)
  const middle = [...samples].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(samples.length / 2)]
  return {
    project,
    runs,
    totalMs: median(samples.map((s) => s.totalMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    stages: middle.stages,
    maxRssBytes: Math.max(...samples.map((s) => s.maxRssBytes)),
    summary: first.summary,
    desired: first.desired,
  }
}
