import {execFileSync} from 'node:child_process'
import {existsSync, statSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {globSync} from 'tinyglobby'

const root = fileURLToPath(new URL('..', import.meta.url))

/** End-to-end tests run the built CLI: build once when dist/ is missing or older than src/. */
export default function setup(): void {
  const manifest = `${root}/oclif.manifest.json`
  const builtAt = existsSync(manifest) ? statSync(manifest).mtimeMs : 0
  const newest = Math.max(...globSync('src/**/*.ts', {cwd: root, absolute: true}).map((f) => statSync(f).mtimeMs))
  if (builtAt >= newest) return
  execFileSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'})
}
