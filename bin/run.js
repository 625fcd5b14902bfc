#!/usr/bin/env node
// Runs the built CLI from dist/. The build is made by `npm ci` (prepare) or `npm run build`.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
