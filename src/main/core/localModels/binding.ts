import type * as NodeLlamaCppModule from 'node-llama-cpp';

export type NodeLlamaCpp = typeof NodeLlamaCppModule;

let modulePromise: Promise<NodeLlamaCpp> | null = null;

/**
 * node-llama-cpp, imported on first use: a core that never touches a local model never loads it (its JS alone is a
 * few hundred modules; the native binding loads later still, in LocalRuntime).
 */
export const nodeLlamaCpp = (): Promise<NodeLlamaCpp> => (modulePromise ??= import('node-llama-cpp'));
