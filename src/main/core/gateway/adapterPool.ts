import { AppError } from '@shared/errors';
import type { Logger } from '../logger';
import { createAdapter } from './adapters/createAdapter';
import type { EndpointStore, StoredEndpoint } from './endpointStore';
import type { Policy } from './policyConfig';
import { CircuitBreaker, type BreakerOptions, type BreakerState } from './resilience';
import { Sanitizer, urlCredentials } from './secrets';
import type { TokenEstimator } from './tokens';
import type { EndpointConfig, LocalAdapterFactory, ProviderAdapter } from './types';

export type Capability = 'chat' | 'embed' | 'transcribe';

interface Slot {
  fingerprint: string;
  sanitizer: Sanitizer;
  adapter: ProviderAdapter | null;
  error: AppError | null;
}

/** One step of a fallback chain, resolved against today's endpoints. */
export interface Hop {
  endpoint: EndpointConfig;
  adapter: ProviderAdapter | null;
  /** Why the adapter could not be built (missing key, local provider absent); the hop is then skipped. */
  error: AppError | null;
  model: string;
  sanitizer: Sanitizer;
  breaker: CircuitBreaker;
}

export interface ChainResolution {
  hops: Hop[];
  /** Chain entries that resolved to nothing usable, and why. */
  skipped: { ref: string; reason: string }[];
}

const fingerprintOf = (c: EndpointConfig): string => JSON.stringify(c);

const defaultModel = (c: EndpointConfig, cap: Capability): string | null => (cap === 'chat' ? c.model : cap === 'embed' ? c.embeddingModel : c.transcriptionModel);

/**
 * Adapters and circuit breakers per endpoint, rebuilt only for endpoints whose configuration changed, and the
 * resolution of a policy's fallback chain into concrete hops.
 */
export class AdapterPool {
  private readonly slots = new Map<string, Slot>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private seenRev = -1;
  private local: LocalAdapterFactory | null;

  constructor(
    private readonly endpoints: EndpointStore,
    private readonly tokens: TokenEstimator,
    private readonly breakerOptions: BreakerOptions,
    private readonly logger: Logger,
    local: LocalAdapterFactory | null | undefined,
    private readonly monotonic: () => number,
  ) {
    this.local = local ?? null;
  }

  setLocalFactory(factory: LocalAdapterFactory | null): void {
    this.local = factory;
    // Local endpoints (and any that failed to build) are rebuilt with the new factory on their next call.
    for (const [id, slot] of this.slots) if (slot.error || slot.adapter?.kind === 'local') this.drop(id);
  }

  breaker(endpointId: string): CircuitBreaker {
    let b = this.breakers.get(endpointId);
    if (!b) {
      b = new CircuitBreaker(this.breakerOptions, this.monotonic);
      this.breakers.set(endpointId, b);
    }
    return b;
  }

  /** Forgets failure history (all endpoints, or one): after a manual fix, or between tests. */
  resetBreakers(endpointId?: string): void {
    if (endpointId) this.breakers.delete(endpointId);
    else this.breakers.clear();
  }

  breakerState(endpointId: string): BreakerState {
    return this.breakers.get(endpointId)?.state ?? 'closed';
  }

  private reconcile(): void {
    const rev = this.endpoints.rev();
    if (rev === this.seenRev) return;
    const live = new Set<string>();
    for (const e of this.endpoints.list()) {
      live.add(e.config.id);
      const slot = this.slots.get(e.config.id);
      if (slot && slot.fingerprint !== fingerprintOf(e.config)) this.drop(e.config.id);
    }
    for (const id of [...this.slots.keys()]) if (!live.has(id)) this.drop(id);
    for (const id of [...this.breakers.keys()]) if (!live.has(id)) this.breakers.delete(id);
    this.seenRev = rev;
  }

  private drop(id: string): void {
    const slot = this.slots.get(id);
    this.slots.delete(id);
    slot?.adapter?.dispose?.().catch((error: unknown) => this.logger.warn('adapter dispose failed', { error }));
  }

  slot(e: EndpointConfig): Slot {
    this.reconcile();
    let slot = this.slots.get(e.id);
    if (!slot) {
      const sanitizer = new Sanitizer([e.apiKey, ...Object.values(e.headers), ...(urlCredentials(e.baseUrl)?.secrets ?? [])]);
      try {
        slot = { fingerprint: fingerprintOf(e), sanitizer, adapter: createAdapter(e, { sanitizer, tokens: this.tokens, local: this.local }), error: null };
      } catch (error) {
        slot = { fingerprint: fingerprintOf(e), sanitizer, adapter: null, error: AppError.wrap(error) };
      }
      this.slots.set(e.id, slot);
    }
    return slot;
  }

  /**
   * Turns a policy's fallback chain into hops: role references ('@primary') become whichever endpoint holds the
   * role, disabled and missing endpoints are skipped, duplicates dropped, and each hop gets its model — the
   * caller's explicit model, else the chain entry's, else the policy's, else the endpoint's own default.
   */
  resolve(policy: Policy, cap: Capability, explicitModel?: string | undefined): ChainResolution {
    const hops: Hop[] = [];
    const skipped: ChainResolution['skipped'] = [];
    const seen = new Set<string>();
    for (const ref of policy.fallback) {
      const label = 'role' in ref ? `@${ref.role}` : ref.endpoint;
      const stored: StoredEndpoint | undefined = 'role' in ref ? this.endpoints.withRole(ref.role) : this.endpoints.find(ref.endpoint);
      if (!stored) {
        skipped.push({ ref: label, reason: 'role' in ref ? `no endpoint has the role ${ref.role}` : `there is no endpoint named ${ref.endpoint}` });
        continue;
      }
      const e = stored.config;
      if (!e.enabled) {
        skipped.push({ ref: label, reason: `${e.name} is disabled` });
        continue;
      }
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      const model = explicitModel ?? ref.model ?? policy.model ?? defaultModel(e, cap);
      if (!model) {
        skipped.push({ ref: label, reason: `${e.name} has no default ${cap === 'chat' ? 'chat' : cap === 'embed' ? 'embedding' : 'transcription'} model and the policy names none` });
        continue;
      }
      const slot = this.slot(e);
      if (slot.adapter && cap === 'embed' && !slot.adapter.embed) {
        skipped.push({ ref: label, reason: `${e.name} (${e.kind}) does not offer embeddings` });
        continue;
      }
      if (slot.adapter && cap === 'transcribe' && !slot.adapter.transcribe) {
        skipped.push({ ref: label, reason: `${e.name} (${e.kind}) does not offer transcription` });
        continue;
      }
      hops.push({ endpoint: e, adapter: slot.adapter, error: slot.error, model, sanitizer: slot.sanitizer, breaker: this.breaker(e.id) });
    }
    return { hops, skipped };
  }

  async dispose(): Promise<void> {
    const all = [...this.slots.values()];
    this.slots.clear();
    await Promise.allSettled(all.map((s) => s.adapter?.dispose?.()));
  }
}
