/**
 * Webhook rules, pure: the event vocabulary, which subscriber gets which event, the signature and
 * the retry schedule.
 */

export const WEBHOOK_EVENTS = ["incident.opened", "incident.fixed", "kernel.upcoming_broken"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const SIGNATURE_HEADER = "X-ModCompat-Signature";
/** Deliveries that keep failing stop after this many attempts (about 2.8 hours of back-off). */
export const DELIVERY_MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 3_600_000;

export interface SubscriptionFilter {
  module: string | null;
  series: string | null;
  kernel: string | null;
  /** empty: every event */
  events: readonly string[];
}

export interface EventScope {
  event: WebhookEvent;
  module: string;
  series: string;
  /** every kernel the event is about (an incident: its last good and first bad kernels) */
  kernels: readonly string[];
}

export function subscriptionMatches(sub: SubscriptionFilter, e: EventScope): boolean {
  return (
    (sub.events.length === 0 || sub.events.includes(e.event)) &&
    (sub.module === null || sub.module === e.module) &&
    (sub.series === null || sub.series === e.series) &&
    (sub.kernel === null || e.kernels.includes(sub.kernel))
  );
}

/** Delay before attempt n+1 after n failed attempts: 10 s, 20 s, 40 s … at most 1 h. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failedAttempts - 1));
}
