/**
 * The Recall HTTP client. Importing this index loads undici and p-queue: modules that run for every
 * command (config validation, rendering) import the pure files directly instead: base-url.ts,
 * api-key.ts, endpoints.ts, errors.ts, retry-policy.ts.
 */
export {readApiKey, MissingApiKeyError} from './api-key.js'
export {
  resolveBaseUrl,
  isKeyAllowedFor,
  isLoopbackHost,
  isRecallHost,
  RECALL_REGIONS,
  RECALL_LEGACY_HOST,
  type ApiLocation,
  type BaseUrlKind,
  type BaseUrlResolution,
  type RecallRegion,
} from '../base-url.js'
export {
  createRecallClient,
  type CallOptions,
  type ListBotsOptions,
  type RecallBot,
  type RecallClient,
  type RecallClientOptions,
  type RecallClientTimeouts,
  type StartRecordingOptions,
} from './client.js'
export {ENDPOINT_GROUPS, RECALL_DOCUMENTED_LIMITS, RECALL_WINDOW_MS, type EndpointGroup} from './endpoints.js'
export {RecallApiError, type RecallErrorKind} from './errors.js'
export type {RecallClientCounters, RecallClientEvent, RecallClientEventListener} from './events.js'
export type {ListBotsFilters} from './list-bots-query.js'
export {createRateLimiters, type EndpointLimiters, type RateLimiterOptions} from './rate-limiter.js'
export {DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, type RetryPolicy, type RetryReason} from './retry-policy.js'
