#!/usr/bin/env bash
# The action's last step: succeed on plan's 0 and 2 (changes) and apply's 0; fail on anything else.
set -euo pipefail
command="${RECALLCTL_ACTION_COMMAND:-plan}"
code="${RECALLCTL_ACTION_EXIT_CODE:-1}"
case "$command:$code" in
  plan:0 | plan:2 | apply:0) exit 0 ;;
  apply:3) echo "::error title=recallctl apply::some calls were made, some were stale or failed (exit 3); the log names each bot. Run it again: a new plan picks up what is left." ;;
  *) echo "::error title=recallctl $command::recallctl $command failed (exit $code); the log, the step summary and the plan comment say why." ;;
esac
exit "$code"
