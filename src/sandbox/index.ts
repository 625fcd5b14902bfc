/**
 * The Recall sandbox: a local emulator of the Recall API endpoints recallctl uses (see README.md).
 * Light to import: node:http and zod, no HTTP client.
 */
export {startSandbox, type RunningSandbox} from './server.js'
export {
  openEmbeddedSandbox,
  openPersistentSandbox,
  type EmbeddedSandboxOptions,
  type PersistentSandboxOptions,
} from './embedded.js'
export {runStandalone, type StandaloneInfo, type StandaloneOptions} from './standalone.js'
export {SANDBOX_API_KEY, DEFAULT_PAGE_SIZE, SandboxCore, type SandboxOptions, type StatusMove} from './core.js'
export {sandboxBotSeedSchema, sandboxRecordingSeedSchema, type SandboxBotSeed, type SandboxRecordingSeed} from './seed.js'
export {SeedError} from './seed-bot.js'
export {SandboxStateFileError, readStateFile, writeStateFile, deleteStateFile} from './persistence.js'
export {DEFAULT_RATE_LIMITS, DEFAULT_RATE_WINDOW_MS, RATE_GROUPS, type RateGroup, type RateLimitConfig} from './rate-limit.js'
export {FAULT_KINDS, type FaultKind, type FaultRuleInput, type ScheduledFault} from './faults.js'
export type {RequestLogEntry} from './request-log.js'
export type {SandboxStateSnapshot} from './snapshot.js'
export type {RenderedBot} from './render-bot.js'
export {CONTROL_ENDPOINTS} from './control.js'
export {
  WEBHOOK_STATUS_CODES,
  WebhookEmitter,
  WebhookEndpointError,
  botStatusEvent,
  svixSignature,
  webhookKeyOf,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointInput,
} from './webhooks.js'
