import { AppError } from '@shared/errors';
import type { CallOptions, Gateway, GatewayCallMeta, ProviderAdapter } from '../../gateway/types';
import { LEXICAL_DEFAULT_DIMENSIONS, LexicalEmbedder } from './lexical';
import { LocalEmbedder } from './local';
import { EMBEDDINGS_USE_CASE, ProviderEmbedder } from './provider';
import type { Embedder, EmbedderSpec } from './types';

/** Where embedders other than the built-in one come from. Both are optional: without them only builtin works. */
export interface EmbedderSources {
  gateway?: () => Gateway | undefined;
  /** The in-process model provider (kind 'local') loaded with this embedding model, when the host has one. */
  localAdapter?: (model: string) => ProviderAdapter | undefined;
}

export interface EmbedderCallContext {
  workspace: string;
  profileId: string | null;
  subject?: string;
}

/** Parses `builtin`, `builtin:512`, `provider`, `provider:MODEL`, `local:MODEL`. */
export function parseEmbedderSpec(text: string | undefined): EmbedderSpec {
  const t = (text ?? 'builtin').trim();
  const colon = t.indexOf(':');
  const kind = colon < 0 ? t : t.slice(0, colon);
  const rest = colon < 0 ? '' : t.slice(colon + 1).trim();
  if (kind === 'builtin') {
    if (!rest) return { kind, model: null, dimensions: LEXICAL_DEFAULT_DIMENSIONS };
    const d = Number(rest);
    if (!Number.isInteger(d) || d < 32 || d > 4096 || d % 8 !== 0) throw new AppError('validation', `builtin:N takes a dimension count divisible by 8 between 32 and 4096 (got "${rest}").`);
    return { kind, model: null, dimensions: d };
  }
  if (kind === 'provider') return { kind, model: rest || null, dimensions: null };
  if (kind === 'local') {
    if (!rest) throw new AppError('validation', 'Name the local embedding model: --embedder local:MODEL (see the model manager for installed models).');
    return { kind, model: rest, dimensions: null };
  }
  throw new AppError('validation', `Unknown embedder "${t}". Use builtin, provider[:MODEL] or local:MODEL.`);
}

const metaFor = (ctx: EmbedderCallContext): GatewayCallMeta => ({ workspace: ctx.workspace, useCase: EMBEDDINGS_USE_CASE, profileId: ctx.profileId, subject: ctx.subject ?? 'vectors' });

function needGateway(sources: EmbedderSources): Gateway {
  const g = sources.gateway?.();
  if (!g) throw new AppError('unavailable', 'Provider embeddings need a configured model provider (Configuration → Providers); use the built-in embedder meanwhile.');
  return g;
}

function needLocal(sources: EmbedderSources, model: string): ProviderAdapter {
  const a = sources.localAdapter?.(model);
  if (!a) throw new AppError('unavailable', `Local model embeddings need the local model provider and the embedding model "${model}" installed (Configuration → Local models).`);
  return a;
}

/** Builds an embedder for a new index version; provider and local models are probed once for their dimensions. */
export async function createEmbedder(spec: EmbedderSpec, sources: EmbedderSources, ctx: EmbedderCallContext, opts: CallOptions = {}): Promise<Embedder> {
  if (spec.kind === 'builtin') return new LexicalEmbedder(spec.dimensions ?? LEXICAL_DEFAULT_DIMENSIONS);
  if (spec.kind === 'provider') return ProviderEmbedder.probe(needGateway(sources), metaFor(ctx), spec.model, opts);
  return LocalEmbedder.probe(needLocal(sources, spec.model ?? ''), spec.model ?? '', opts);
}

/** Rebuilds the embedder an existing version was built with (for query embedding and incremental updates). */
export function embedderFor(version: { embedder_kind: string; model: string; dimensions: number }, sources: EmbedderSources, ctx: EmbedderCallContext): Embedder {
  if (version.embedder_kind === 'builtin') return new LexicalEmbedder(version.dimensions);
  if (version.embedder_kind === 'provider') return new ProviderEmbedder(needGateway(sources), metaFor(ctx), version.model, version.dimensions);
  if (version.embedder_kind === 'local') return new LocalEmbedder(needLocal(sources, version.model), version.model, version.dimensions);
  throw new AppError('internal', `Unknown embedder kind ${version.embedder_kind}.`);
}
