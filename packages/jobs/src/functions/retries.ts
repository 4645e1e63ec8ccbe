/**
 * Retries per step: Inngest's maximum. With Inngest's backoff (15 s doubling to a 2 h cap) 20 retries
 * span about a day; the configured horizon (DELIVERY_RETRY_HORIZON_MINUTES) can end them sooner.
 */
export const DELIVERY_RETRIES = 20;
