/**
 * The environment variable that sets a flag. A flag that means the same in every command that has it
 * is RECALLCTL_<FLAG>, so one variable in a CI job serves them all; any other flag is
 * RECALLCTL_<COMMAND>_<FLAG>, so a variable meant for one command never changes another
 * (RECALLCTL_PLAN_OUT=plan.json must not make `schema` write into plan.json/).
 */
export const SHARED_ENV_FLAGS: readonly string[] = [
  'dir',
  'no-color',
  'auto-approve',
  'allow-restart',
  'target',
  'exclude',
  'ignore-missing',
]

const upper = (name: string) => name.toUpperCase().replaceAll('-', '_')

export function flagEnv(command: string, flag: string): string {
  return SHARED_ENV_FLAGS.includes(flag) ? `RECALLCTL_${upper(flag)}` : `RECALLCTL_${upper(command)}_${upper(flag)}`
}
