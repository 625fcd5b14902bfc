import type {Command} from '@oclif/core'
import {CommandHelp, Help} from '@oclif/core/help'

/** Commands that read Recall (or run watch): they need the API key, unless base_url is sandbox. */
const TALKS_TO_RECALL = new Set(['plan', 'apply', 'watch', 'import'])

type Row = [string, string]

/** The variables every command reads. */
const COMMON_ENV: Row[] = [
  ['CI', 'Set in CI (also GITHUB_ACTIONS, GITLAB_CI, ...): never prompt, never colour, one plain progress line per bot.'],
  ['NO_COLOR', 'Set to anything: no colour (same as --no-color).'],
  ['DEBUG', 'DEBUG=recallctl: print where an unexpected error happened; watch logs its quiet passes too.'],
]

/**
 * The ENVIRONMENT rows of one command: the secrets it reads and the common variables. (The variable of
 * each flag is shown by oclif beside the flag: `[env: RECALLCTL_PLAN_OUT]`.)
 */
export function environmentRows(command: Pick<Command.Loadable, 'id'>): Row[] {
  const rows: Row[] = []
  if (TALKS_TO_RECALL.has(command.id))
    rows.push([
      'RECALL_API_KEY',
      'The Recall API key, read from the variable that api.api_key_env names (RECALL_API_KEY by default). Not needed with base_url: sandbox.',
    ])
  if (command.id === 'watch')
    rows.push([
      '(api.webhook_secret_env)',
      "With --listen: the variable api.webhook_secret_env names holds the workspace's webhook signing secret (whsec_...).",
    ])
  rows.push(...COMMON_ENV)
  return rows
}

class RecallctlCommandHelp extends CommandHelp {
  protected override sections(): ReturnType<CommandHelp['sections']> {
    const sections = super.sections()
    const environment = {header: 'ENVIRONMENT', generate: () => [{header: 'ENVIRONMENT', body: environmentRows(this.command)}]}
    const at = sections.findIndex((s) => s.header === 'DESCRIPTION')
    return at === -1 ? [...sections, environment] : [...sections.slice(0, at), environment, ...sections.slice(at)]
  }
}

/**
 * oclif's help with an ENVIRONMENT section on every command (the API key, CI, NO_COLOR, DEBUG), and on
 * the root help. Loaded only when help is shown (package.json helpClass).
 */
export default class RecallctlHelp extends Help {
  protected override CommandHelpClass = RecallctlCommandHelp

  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    const rows: Row[] = [['RECALL_API_KEY', 'The Recall API key (or the variable api.api_key_env names).'], ...COMMON_ENV]
    this.log(`\n${this.section('ENVIRONMENT', rows)}`)
  }
}
