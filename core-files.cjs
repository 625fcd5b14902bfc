// The core: the pure stages, and the pure files of the stages that sit at an edge. One list for the
// three tools that keep it pure: dependency-cruiser (no I/O module is imported), ESLint (no clock,
// timer or `process` global is used) and test/architecture.test.ts (which shows both catching a
// deliberately impure file).
module.exports = {
  CORE_FILES: [
    'src/shared/**/*.ts',
    'src/config/**/*.ts',
    'src/recall/*.ts',
    'src/validate/**/*.ts',
    'src/resolve/**/*.ts',
    'src/diff/**/*.ts',
    'src/plan/**/*.ts',
    'src/render/**/*.ts',
    'src/load/source-document.ts',
    'src/load/project-files.ts',
    'src/refresh/scope.ts',
    'src/refresh/snapshot.ts',
    'src/refresh/claim.ts',
    'src/execute/plan-to-calls.ts',
    'src/execute/stale.ts',
    'src/execute/stamp.ts',
    'src/execute/idempotency-key.ts',
    'src/execute/events.ts',
    'src/execute/rate-bound.ts',
    'src/execute/verify-saved-plan.ts',
  ],
}
