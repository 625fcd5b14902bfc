// `npm run build`: compile src/ into a private temporary folder, bundle the commands, then swap it in
// for dist/ in one rename, so two builds at once (or a test spawning the CLI meanwhile) never see a
// half-written dist/. Then write oclif.manifest.json from the new dist/.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, renameSync, rmSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import path from 'node:path'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = (cmd, args) => execFileSync(cmd, args, {cwd: root, stdio: 'inherit'})
const tmp = mkdtempSync(path.join(root, 'dist.tmp-'))
try {
  try {
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', tmp])
  } catch (error) {
    // tsc exits 2 when it found type errors but wrote every file: `npm run typecheck` is what judges
    // types, so a build still runs then (several people editing at once), with the errors printed.
    if (error?.status !== 2) throw error
    console.error('build: type errors above; emitted anyway (npm run typecheck fails on them)')
  }
  run(process.execPath, [path.join(root, 'scripts/bundle-commands.mjs'), tmp])
  const old = `${tmp}.old`
  try {
    renameSync(path.join(root, 'dist'), old)
  } catch {
    // no dist/ yet
  }
  renameSync(tmp, path.join(root, 'dist'))
  rmSync(old, {recursive: true, force: true})
} catch (error) {
  rmSync(tmp, {recursive: true, force: true})
  process.exitCode = 1
  if (!(error && typeof error === 'object' && 'status' in error)) throw error
}
if (!process.exitCode) run(process.execPath, [path.join(root, 'scripts/write-manifest.mjs')])
