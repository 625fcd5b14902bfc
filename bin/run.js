#!/usr/bin/env node
// Runs the built CLI from dist/: `npm run build` in a clone; the published package ships dist/ (built by
// `prepack`), so installing it runs no build.
//
// Cold start matters (every CI step starts the CLI): only oclif's runner is imported here, not the
// whole '@oclif/core' index, and its check of the Node version against oclif's own `engines` is
// skipped (it loads semver's 47 files, ~20 ms of every start): recallctl's own `engines`
// (Node >= 20.18.1) is stricter than oclif's (>= 18).
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
const {execute} = await import('@oclif/core/execute')

await execute({dir: import.meta.url})
