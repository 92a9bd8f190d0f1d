export { errorLine, type Log, silentLog } from '../../shared/log.js';
export {
  destinationsFor,
  filterTextOf,
  isConfigSubscription,
  joinFilterTerms,
  type SubscriptionFilters,
} from '../routing.js';
export { DISABLED_REASON, type FeedOptions, type FeedSettings, feedSettings } from '../settings.js';
export {
  CONSOLE_DESTINATION,
  type ConsoleSenderOptions,
  createConsoleSender,
  deliveryText,
} from './console-sender.js';
export {
  DEFAULT_DIGEST_BRIEFS,
  type DigestDeps,
  type DigestGroup,
  type DigestMessage,
  type DigestPayload,
  digestPlainText,
  groupBriefs,
  isDigestMessage,
  sendDigest,
} from './digest.js';
export { DEFAULT_LEASE_MS, defaultInstance, type Instance, instanceOwner } from './instance.js';
export {
  DEFAULT_SCHEDULES,
  type Scheduler,
  type SchedulerOptions,
  type SchedulerSchedules,
  startScheduler,
} from './jobs.js';
export {
  type Delivery,
  type DrainOptions,
  type DrainResult,
  drainOutbox,
  inQuietHours,
  messageText,
  type OutboxMessage,
  retryDelay,
  type SendContext,
  type Sender,
  type SendOutcome,
} from './outbox.js';
export {
  type PollDeps,
  type PollResult,
  type PollSummary,
  pollDueFeeds,
  pollFeed,
} from './poller.js';
export {
  limiterFor,
  type RateLimit,
  RateLimiter,
  type RateWindow,
  realSleep,
  type Sleep,
  TokenBucket,
} from './rate-limit.js';
export { limiterOf, SharedRateLimiter, sharedLimiterFor } from './shared-rate-limit.js';
export { type SyncResult, syncConfig } from './sync.js';
