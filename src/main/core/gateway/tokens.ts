import type { Tiktoken } from 'js-tiktoken/lite';
import type { ChatMessage, ProviderKind } from './types';

/** Texts longer than this are counted exactly on a prefix and extrapolated, keeping the estimate cheap. */
const EXACT_LIMIT = 16_000;
/**
 * Texts shorter than this use the heuristic even when the tokenizer is loaded: an exact count would change the
 * estimate by a handful of tokens, while encoding costs more than the rest of the gateway's work on a call.
 */
const SHORT_TEXT = 256;
/** Per-message framing tokens (role, separators), as OpenAI documents for its chat format. */
const PER_MESSAGE = 4;
const PER_REQUEST = 3;

/**
 * Pre-call token estimates for budgeting. Exact counts come back from the provider in Usage; this only has to be
 * close and, for budgets, rather high than low.
 *
 * js-tiktoken's cl100k_base is the reference: building its rank table costs a few hundred ms of CPU, so it is loaded
 * on request (`warm()`, which long-running hosts call shortly after start) and a calibrated character heuristic is
 * used until then. cl100k counts are a little higher than o200k's (GPT-4o and later), so they over- rather than
 * under-estimate for current OpenAI models; other providers' tokenizers differ more, so their estimates get a margin.
 */
export class TokenEstimator {
  private encoder: Tiktoken | null = null;
  private loading: Promise<void> | null = null;
  private readonly memo = new Map<string, number>();

  get exact(): boolean {
    return this.encoder !== null;
  }

  warm(): Promise<void> {
    this.loading ??= (async () => {
      const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/cl100k_base')]);
      this.encoder = new Tiktoken(ranks.default);
    })();
    return this.loading;
  }

  /** Tokens in one text. */
  text(text: string): number {
    if (text.length === 0) return 0;
    const enc = this.encoder;
    if (!enc || text.length < SHORT_TEXT) return heuristicTokens(text) + (enc ? 2 : 0);
    if (text.length > 200) {
      const hit = this.memo.get(text);
      if (hit !== undefined) {
        // Refresh its place in the LRU order.
        this.memo.delete(text);
        this.memo.set(text, hit);
        return hit;
      }
    }
    let n: number;
    if (text.length <= EXACT_LIMIT) {
      n = enc.encode(text, 'all').length;
    } else {
      const head = enc.encode(text.slice(0, EXACT_LIMIT), 'all').length;
      n = Math.ceil(head * (text.length / EXACT_LIMIT) * 1.05);
    }
    if (text.length > 200) {
      this.memo.set(text, n);
      if (this.memo.size > 256) this.memo.delete(this.memo.keys().next().value as string);
    }
    return n;
  }

  /** Tokens in many texts (an embedding batch); large batches use the heuristic to stay cheap. */
  bulk(texts: readonly string[]): number {
    let chars = 0;
    for (const t of texts) chars += t.length;
    if (chars > 64_000 || !this.encoder) return texts.reduce((n, t) => n + heuristicTokens(t), 0);
    return texts.reduce((n, t) => n + this.text(t), 0);
  }

  /** Tokens a chat request will consume as input, with framing; `kind` adds a margin for non-OpenAI tokenizers. */
  messages(messages: readonly Pick<ChatMessage, 'content' | 'toolCalls'>[], kind: ProviderKind = 'openai'): number {
    let n = PER_REQUEST;
    for (const m of messages) {
      n += PER_MESSAGE + this.text(m.content);
      if (m.toolCalls) for (const c of m.toolCalls) n += this.text(c.name) + this.text(c.arguments) + 3;
    }
    return Math.ceil(n * marginFor(kind));
  }
}

export const marginFor = (kind: ProviderKind): number => (kind === 'openai' || kind === 'azure' || kind === 'openai-compatible' ? 1 : 1.15);

/**
 * About 3.5 ASCII characters per token (English prose averages ~4 with cl100k, code and numbers less) and one token
 * per non-ASCII character (CJK and emoji are roughly that): deliberately on the high side.
 */
export function heuristicTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 3.5) + other;
}

/** One estimator per process: the rank table is large, and every adapter can share it. */
export const tokenEstimator = new TokenEstimator();
