import {z} from 'zod'
import {projectConfigSchema} from './project-config-schema.js'
import {recordingsFileSchema} from './recordings-file-schema.js'

export const SCHEMA_KINDS = ['config', 'recordings'] as const
export type SchemaKind = (typeof SCHEMA_KINDS)[number]

/** File names used in the `# yaml-language-server: $schema=...` lines of the example. */
export const SCHEMA_FILE_NAMES: Record<SchemaKind, string> = {
  config: 'recall.config.schema.json',
  recordings: 'recordings.schema.json',
}

/** JSON Schema of a file kind, generated from the same zod schemas that validate it. */
export function jsonSchemaOf(kind: SchemaKind): Record<string, unknown> {
  const schema = kind === 'config' ? projectConfigSchema : recordingsFileSchema
  const json = z.toJSONSchema(schema, {io: 'input', unrepresentable: 'any', target: 'draft-7'}) as Record<string, unknown>
  return {
    ...json,
    title: kind === 'config' ? 'recallctl recall.config.yaml' : 'recallctl recordings file',
  }
}
