import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {jsonSchemaOf, SCHEMA_FILE_NAMES, type SchemaKind} from '../config/json-schemas.js'

export type WriteOutcome = 'written' | 'exists'

/**
 * Writes `file` only when nothing is there (`wx`: no race between a check and the write). An existing
 * file is never touched: the caller reports it as skipped.
 */
export async function writeNew(file: string, text: string): Promise<WriteOutcome> {
  await mkdir(path.dirname(file), {recursive: true})
  try {
    await writeFile(file, text, {flag: 'wx'})
    return 'written'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists'
    throw error
  }
}

/**
 * The JSON Schema text of a file kind: the copy shipped in the package's schemas/ folder, or, when the
 * package has none (a development checkout that never ran `schema --out`), generated from the zod schemas.
 */
export async function schemaText(kind: SchemaKind, packageRoot: string): Promise<string> {
  try {
    return await readFile(path.join(packageRoot, 'schemas', SCHEMA_FILE_NAMES[kind]), 'utf8')
  } catch {
    return `${JSON.stringify(jsonSchemaOf(kind), null, 2)}\n`
  }
}

/** Places the schemas under `<root>/schemas/` when missing; returns the relative paths and what happened. */
export async function placeSchemas(root: string, packageRoot: string): Promise<Array<{file: string; outcome: WriteOutcome}>> {
  const results = []
  for (const kind of ['config', 'recordings'] as const) {
    const file = path.join('schemas', SCHEMA_FILE_NAMES[kind])
    results.push({file, outcome: await writeNew(path.join(root, file), await schemaText(kind, packageRoot))})
  }
  return results
}
