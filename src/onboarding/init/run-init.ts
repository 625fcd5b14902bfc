import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {placeSchemas, writeNew} from '../schema-files.js'
import {ciFiles, gitignoreWithState, scaffoldFiles, type CiKind} from './scaffold.js'

export interface InitRequest {
  dir: string
  region: string | undefined
  ci: CiKind
  /** The installed package's root: its schemas/ and examples/ are copied. */
  packageRoot: string
}

export interface InitReport {
  root: string
  files: Array<{file: string; outcome: 'written' | 'exists' | 'updated' | 'unavailable'}>
}

/** Writes the files of a new project; an existing file is never touched (reported as `exists`). */
export async function runInit(request: InitRequest): Promise<InitReport> {
  const root = path.resolve(request.dir)
  const files: InitReport['files'] = []
  for (const {file, text} of scaffoldFiles({region: request.region}))
    files.push({file, outcome: await writeNew(path.join(root, file), text)})
  files.push(...(await placeSchemas(root, request.packageRoot)))
  const gitignore = path.join(root, '.gitignore')
  const current = await readFile(gitignore, 'utf8').catch(() => undefined)
  const updated = gitignoreWithState(current)
  if (updated !== undefined) await writeFile(gitignore, updated)
  files.push({file: '.gitignore', outcome: updated === undefined ? 'exists' : current === undefined ? 'written' : 'updated'})
  for (const {from, to} of ciFiles(request.ci)) {
    const text = await readFile(path.join(request.packageRoot, from), 'utf8').catch(() => undefined)
    files.push({file: to, outcome: text === undefined ? 'unavailable' : await writeNew(path.join(root, to), text)})
  }
  return {root, files}
}
