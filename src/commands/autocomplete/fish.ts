import {Command} from '@oclif/core'

const quote = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`

/**
 * fish completions, generated from the commands and flags (@oclif/plugin-autocomplete covers bash, zsh
 * and PowerShell). Not a BaseCommand: it reads no project.
 */
export default class AutocompleteFish extends Command {
  static override summary = 'Print fish shell completions for recallctl.'
  static override description =
    'Writes a fish completion script for every command and flag to stdout. Save it where fish looks for completions; bash and zsh completions come from `recallctl autocomplete bash` and `recallctl autocomplete zsh`.'

  static override examples = [
    {
      description: 'Install fish completions',
      command: '<%= config.bin %> autocomplete fish > ~/.config/fish/completions/<%= config.bin %>.fish',
    },
  ]

  async run(): Promise<void> {
    await this.parse(AutocompleteFish)
    const bin = this.config.bin
    const commands = this.config.commands.filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id))
    const lines = [
      `# fish completions for ${bin} ${this.config.version}: ${bin} autocomplete fish > ~/.config/fish/completions/${bin}.fish`,
      `complete -c ${bin} -f`,
    ]
    for (const command of commands) {
      const words = command.id.split(':')
      const summary = command.summary ?? command.description?.split('\n')[0] ?? ''
      const parent = words.length === 1 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${words[0]}`
      lines.push(`complete -c ${bin} -n ${quote(parent)} -a ${quote(words.at(-1)!)} -d ${quote(summary)}`)
      const when = quote(`__fish_seen_subcommand_from ${words.at(-1)}`)
      for (const [name, flag] of Object.entries(command.flags)) {
        if (flag.hidden) continue
        const short = flag.char ? ` -s ${flag.char}` : ''
        const values =
          flag.type === 'option' && flag.options?.length
            ? ` -r -a ${quote(flag.options.join(' '))}`
            : flag.type === 'option'
              ? ' -r'
              : ''
        lines.push(
          `complete -c ${bin} -n ${when} -l ${name}${short}${values} -d ${quote(flag.summary ?? flag.description ?? '')}`,
        )
        if (flag.type === 'boolean' && flag.allowNo) lines.push(`complete -c ${bin} -n ${when} -l no-${name}`)
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}
