import {mkdir, stat} from 'node:fs/promises'
import path from 'node:path'
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {UserError} from '../shared/user-error.js'
import {writeOutputFile} from '../app/write-output.js'
import {jsonSchemaOf, SCHEMA_FILE_NAMES, SCHEMA_KINDS, type SchemaKind} from '../config/json-schemas.js'
import {describeOsError} from '../shared/os-error.js'

export default class Schema extends BaseCommand {
  static override summary = 'Print the JSON Schema of recall.config.yaml or of recordings files, for editors.'
  static override description = [
    'The schemas are generated from the same definitions that validate your files. Save them and point yaml-language-server at them with a first line such as',
    '  # yaml-language-server: $schema=../schemas/recordings.schema.json',
    'to get completion and checks in VS Code and other editors.',
  ].join('\n')

  static override examples = [
    {description: 'Schema of recordings files on stdout', command: '<%= config.bin %> schema recordings'},
    {description: 'Write both schemas into schemas/', command: '<%= config.bin %> schema --out schemas'},
  ]

  static override args = {
    kind: Args.string({description: 'config or recordings (both with --out).', options: [...SCHEMA_KINDS], required: false}),
  }

  static override flags = {
    out: Flags.directory({
      summary: 'Write the schema files into this directory instead of printing.',
      env: 'RECALLCTL_SCHEMA_OUT',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Schema)
    const kinds: SchemaKind[] = args.kind ? [args.kind as SchemaKind] : [...SCHEMA_KINDS]
    if (flags.out) {
      const dir = path.resolve(flags.dir, flags.out)
      await makeOutputFolder(dir, flags.out)
      for (const kind of kinds) {
        const file = path.join(dir, SCHEMA_FILE_NAMES[kind])
        await writeOutputFile(
          file,
          `${JSON.stringify(jsonSchemaOf(kind), null, 2)}\n`,
          'the schema',
          path.join(flags.out, SCHEMA_FILE_NAMES[kind]),
        )
        this.note(`wrote ${path.relative(process.cwd(), file) || file}`)
      }
      return
    }
    if (kinds.length === 1) this.out(JSON.stringify(jsonSchemaOf(kinds[0] as SchemaKind), null, 2))
    else this.out(JSON.stringify(Object.fromEntries(kinds.map((k) => [k, jsonSchemaOf(k)])), null, 2))
  }
}

/** The --out folder, created when missing; a file in its place is a sentence, not an EEXIST. */
async function makeOutputFolder(dir: string, shown: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined)
  if (existing && !existing.isDirectory())
    throw new UserError(
      `cannot write the schemas into ${shown}: it is a file, not a folder. --out takes a folder (created if missing): pick another name, e.g. schemas.`,
    )
  try {
    await mkdir(dir, {recursive: true})
  } catch (error) {
    const message = describeOsError(error, 'cannot create the folder', shown)
    if (message) throw new UserError(message)
    throw error
  }
}
