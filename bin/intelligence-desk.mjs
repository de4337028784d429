#!/usr/bin/env node
// The package's `intelligence-desk` command: runs the TypeScript CLI through tsx (no build step needed).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/main/cli/index.ts');
process.exit(await main(process.argv.slice(2)));
