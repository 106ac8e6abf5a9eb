// Bounded retries with exponential backoff and jitter for 408/429/5xx answers and failed connections,
// as MLflow's client does (its defaults wait minutes; ours total about 15 s). Retry-After is honoured.

import { type EnvReader, envValue, readEnv } from "./env.ts";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Delay before the first retry; doubles each time. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5,
  backoffMs: 500,
  maxBackoffMs: 8_000,
  timeoutMs: 120_000,
};

export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** MLFLOW_HTTP_REQUEST_MAX_RETRIES, _BACKOFF_FACTOR (seconds) and _TIMEOUT (seconds) override the defaults. */
export function retryPolicyFromEnv(env: EnvReader = readEnv): RetryPolicy {
  const num = (name: string) => {
    const v = envValue(name, env);
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const retries = num("MLFLOW_HTTP_REQUEST_MAX_RETRIES");
  const factor = num("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR");
  const timeout = num("MLFLOW_HTTP_REQUEST_TIMEOUT");
  return {
    maxRetries: retries === undefined ? DEFAULT_RETRY.maxRetries : Math.floor(retries),
    backoffMs: factor === undefined ? DEFAULT_RETRY.backoffMs : factor * 1000,
    maxBackoffMs: DEFAULT_RETRY.maxBackoffMs,
    timeoutMs: timeout === undefined || timeout === 0 ? DEFAULT_RETRY.timeoutMs : timeout * 1000,
  };
}

/** Delay before retry number `retry` (0-based): full backoff halved at random, or Retry-After. */
export function backoffDelay(retry: number, policy: RetryPolicy, retryAfter?: string | null): number {
  const cap = Math.max(policy.maxBackoffMs, policy.backoffMs);
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, cap);
  }
  const full = Math.min(policy.backoffMs * 2 ** retry, cap);
  return full / 2 + Math.random() * (full / 2);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it yields a non-retryable answer or the retries are used up. The last answer is
 * returned as it is (the caller turns a non-2xx into a TrackerError); a last thrown error is rethrown.
 * Bodies of discarded answers are consumed so their connections are released.
 */
export async function withRetries(
  attempt: (signal: AbortSignal) => Promise<Response>,
  policy: RetryPolicy,
): Promise<Response> {
  for (let retry = 0;; retry++) {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    let response: Response | undefined;
    let error: unknown;
    try {
      response = await attempt(signal);
    } catch (e) {
      error = e;
    }
    const retryable = response === undefined || RETRY_STATUSES.has(response.status);
    if (!retryable || retry >= policy.maxRetries) {
      if (response) return response;
      throw error;
    }
    const retryAfter = response?.headers.get("retry-after");
    await response?.body?.cancel().catch(() => {});
    await sleep(backoffDelay(retry, policy, retryAfter));
  }
}
