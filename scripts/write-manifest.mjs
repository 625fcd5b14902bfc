// Writes oclif.manifest.json from the built commands in dist/, so a cold start does not import every
// command to list them. Run by `npm run build`; the manifest is never committed, so it cannot go stale.
import {writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'
import {Plugin} from '@oclif/core/config'

const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, isRoot: true})
await plugin.load()
const manifest = plugin.manifest
if (Object.keys(manifest.commands).length === 0) throw new Error('no commands found in dist/commands')
await writeFile(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(manifest) + '\n')
console.error(`oclif.manifest.json: ${Object.keys(manifest.commands).length} commands`)
