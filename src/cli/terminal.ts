/** Facts about where output goes, read once at the edge so the core never looks at `process`. */
export interface TerminalInfo {
  color: boolean
  interactive: boolean
  ci: boolean
}

const CI_VARIABLES = ['CI', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI', 'JENKINS_URL', 'TF_BUILD']

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return CI_VARIABLES.some((name) => {
    const value = env[name]
    return value !== undefined && value !== '' && value !== 'false' && value !== '0'
  })
}

/** Colour only on a TTY, never with NO_COLOR (any value) or --no-color, never in CI logs. */
export function terminalInfo(options: {noColor?: boolean; stream?: NodeJS.WriteStream} = {}): TerminalInfo {
  const stream = options.stream ?? process.stdout
  const ci = isCi()
  const tty = Boolean(stream.isTTY)
  return {
    color: tty && !ci && !options.noColor && process.env['NO_COLOR'] === undefined && process.env['TERM'] !== 'dumb',
    interactive: tty && Boolean(process.stdin.isTTY) && !ci,
    ci,
  }
}

export const isGithubActions = (env: NodeJS.ProcessEnv = process.env): boolean => env['GITHUB_ACTIONS'] === 'true'

/**
 * `::add-mask::` workflow commands for every secret recallctl knows of, so the runner hides them in the
 * log even if some other step prints them. The runner reads workflow commands on stderr as well as
 * stdout; writing them to stderr keeps stdout clean for `--format json` and markdown redirected to files.
 * A multi-line value is masked line by line (the runner masks per line). `%` is escaped as `%25`, as
 * @actions/core does: the runner unescapes `%25`, `%0D` and `%0A` in command data, so a secret holding
 * one of those sequences would otherwise register a different value and stay visible.
 */
export function maskCommands(secrets: Iterable<string>): string {
  const lines = new Set<string>()
  for (const secret of secrets)
    for (const line of secret.split(/\r?\n|\r/))
      if (line.trim().length > 0) lines.add(`::add-mask::${line.replaceAll('%', '%25')}`)
  return [...lines].join('\n')
}
