// The seed schema lives with the config schemas (`sandbox.bots`); the sandbox re-exports it.
export * from '../config/sandbox-seed-schema.js'
