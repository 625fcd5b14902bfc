#!/usr/bin/env bash
# The action's main step: runs `recallctl plan` or `recallctl apply`, sets the outputs (exit-code,
# plan-digest, has-changes) and, for apply, appends its report to the step summary (plan writes its own).
# Always exits 0: action/result.sh fails the action after the comment step.
set -uo pipefail
command="${RECALLCTL_ACTION_COMMAND:-plan}"
output() { echo "$1=$2" >> "${GITHUB_OUTPUT:-/dev/null}"; }
case "$command" in
  plan | apply) ;;
  *)
    echo "::error title=recallctl::the command input must be plan or apply, not \"$command\"."
    output exit-code 1
    exit 0
    ;;
esac
# The repository's own recallctl (npm i -D recallctl, locked), else the requested version through npx.
if [ -x node_modules/.bin/recallctl ]; then
  recallctl=(node_modules/.bin/recallctl)
else
  recallctl=(npx --yes "recallctl@${RECALLCTL_ACTION_VERSION:-latest}")
fi
set -f # split args on spaces, but never expand globs in them
# shellcheck disable=SC2206
extra=(${RECALLCTL_ACTION_ARGS:-})
set +f

plan_file=""
code=0
if [ "$command" = plan ]; then
  plan_file=plan.json
  "${recallctl[@]}" plan --out plan.json --format markdown --detailed-exitcode "${extra[@]}" > plan.md || code=$?
else
  for arg in "${extra[@]}"; do
    case "$arg" in -*) ;; *) if [ -f "$arg" ]; then plan_file="$arg"; break; fi ;; esac
  done
  report="$(mktemp)"
  "${recallctl[@]}" apply "${extra[@]}" | tee "$report" || code=${PIPESTATUS[0]}
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    { printf '### recallctl apply (exit %s)\n\n```\n' "$code"; tail -c 60000 "$report"; printf '```\n'; } >> "$GITHUB_STEP_SUMMARY"
  fi
  rm -f "$report"
fi
output exit-code "$code"

# The digest and whether the plan changes anything, from the plan file (plan.json is never secret).
if [ -n "$plan_file" ] && [ -f "$plan_file" ]; then
  node -e '
    const plan = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    const digest = /^v1:[0-9a-f]+$/.test(plan.plan_digest ?? "") ? plan.plan_digest : ""
    const changes = (plan.summary?.start ?? 0) + (plan.summary?.restart ?? 0) > 0
    console.log(`plan-digest=${digest}\nhas-changes=${changes}`)' "$plan_file" >> "${GITHUB_OUTPUT:-/dev/null}" || true
fi
exit 0
