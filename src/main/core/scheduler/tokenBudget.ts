import type { Db } from '../db/open';
import type { TokenBudget } from '../engine/scanService';

/** The scheduler's daily token budget, across workspaces, per UTC day; 0 means no limit. */
export class DailyTokenBudget implements TokenBudget {
  constructor(
    private readonly appDb: Db,
    private readonly workspaceId: string,
    private readonly limit: () => number,
    private readonly now: () => Date,
  ) {}

  private day(): string {
    return this.now().toISOString().slice(0, 10);
  }

  used(): number {
    return (this.appDb.prepare('SELECT coalesce(sum(tokens), 0) FROM engine_token_usage WHERE day = ?').pluck().get(this.day()) as number) ?? 0;
  }

  remaining(): number {
    const limit = this.limit();
    return limit === 0 ? Number.POSITIVE_INFINITY : Math.max(0, limit - this.used());
  }

  spend(tokens: number): void {
    if (tokens <= 0) return;
    this.appDb
      .prepare('INSERT INTO engine_token_usage (day, workspace_id, tokens) VALUES (?, ?, ?) ON CONFLICT(day, workspace_id) DO UPDATE SET tokens = tokens + excluded.tokens')
      .run(this.day(), this.workspaceId, tokens);
  }
}
