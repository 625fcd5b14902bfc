// Bundles the compiled commands (dist/commands/*.js) with their own code and light dependencies (zod,
// yaml, tinyglobby...) into a few files, so a cold start resolves and loads tens of modules instead of
// hundreds (`recallctl validate` ~270 → ~235 ms here; see BENCHMARKS.md). Shared code goes to
// dist/chunks; what a command loads only on demand (the sandbox, the client) stays a separate chunk.
// @oclif/core (loaded by bin/run.js anyway), undici and p-queue stay external.
import {readdir} from 'node:fs/promises'
import path from 'node:path'
import {build} from 'esbuild'

const outRoot = process.argv[2] ?? 'dist'
const commandsDir = path.join(outRoot, 'commands')
const entryPoints = (await readdir(commandsDir)).filter((f) => f.endsWith('.js')).map((f) => path.join(commandsDir, f))

await build({
  entryPoints,
  outdir: commandsDir,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '../chunks/[name]-[hash]',
  external: ['@oclif/core', 'undici', 'p-queue'],
  // Prefer each package's ESM build; a CommonJS one inside an ESM bundle needs a real `require`.
  mainFields: ['module', 'main'],
  banner: {
    js: "import {createRequire as __recallctlCreateRequire} from 'node:module'; const require = __recallctlCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
console.error(`bundled ${entryPoints.length} commands`)
