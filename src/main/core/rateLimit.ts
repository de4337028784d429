import { DEFAULT_RATE_LIMITS, rateLimitSettings, type RateLimitRule, type RateLimitSettings } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Settings } from './app/settings';

export const RATE_LIMITS_KEY = 'rateLimits';

/**
 * One rate limit for the whole contract (ADR 0061): `dispatch` calls `check` for every route before its handler.
 * Each route named in the rules gets a sliding window per workspace (routes without a workspace share one window).
 * The clock is injected, so tests move time instead of waiting.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly rules: () => Readonly<Record<string, RateLimitRule>>,
    private readonly now: () => number,
  ) {}

  /** Counts one call, or throws `rate_limited` with `retryAfterMs` when the window is full. */
  check(route: string, workspace: string | null): void {
    const rule = this.rules()[route];
    if (!rule || rule.limit <= 0) return;
    const now = this.now();
    const windowMs = rule.windowSeconds * 1000;
    const key = `${route}\u0000${workspace?.toLowerCase() ?? ''}`;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= rule.limit) {
      this.hits.set(key, recent);
      const retryAfterMs = Math.max(1, recent[0]! + windowMs - now);
      const where = workspace ? ` in workspace "${workspace}"` : '';
      throw new AppError('rate_limited', `Too many ${route} calls${where}: at most ${rule.limit} per ${rule.windowSeconds} s. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, {
        route,
        workspace,
        limit: rule.limit,
        windowSeconds: rule.windowSeconds,
        retryAfterMs,
      });
    }
    recent.push(now);
    this.hits.set(key, recent);
  }

  /** Forgets every window (tests, or after the limits changed). */
  reset(): void {
    this.hits.clear();
  }
}

/** Rate limits as configured: the defaults, overridden per route by the app setting `rateLimits`. */
export class RateLimitSettingsService {
  private cached: { raw: unknown; value: RateLimitSettings } | null = null;

  constructor(
    private readonly settings: Settings,
    private readonly defaults: Readonly<RateLimitSettings> = DEFAULT_RATE_LIMITS,
  ) {}

  get(): RateLimitSettings {
    const raw = this.settings.get<unknown>(RATE_LIMITS_KEY);
    if (this.cached && this.cached.raw === raw) return this.cached.value;
    const parsed = rateLimitSettings.safeParse(raw ?? {});
    const value = { ...this.defaults, ...(parsed.success ? parsed.data : {}) };
    this.cached = { raw, value };
    return value;
  }

  /** The limits that apply when the setting names none. */
  defaultLimits(): RateLimitSettings {
    return { ...this.defaults };
  }

  async update(patch: Record<string, RateLimitRule | null>): Promise<RateLimitSettings> {
    const stored = rateLimitSettings.safeParse(this.settings.get<unknown>(RATE_LIMITS_KEY) ?? {});
    const next: RateLimitSettings = { ...(stored.success ? stored.data : {}) };
    for (const [route, rule] of Object.entries(patch)) {
      if (rule === null) delete next[route];
      else next[route] = rule;
    }
    await this.settings.set(RATE_LIMITS_KEY, rateLimitSettings.parse(next));
    return this.get();
  }
}
