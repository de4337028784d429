import { readFileSync } from 'node:fs';
import { startModelServer } from './test/fixtures/modelServer';
const srv = await startModelServer();
const body = readFileSync('/tmp/hubmodels/tiny-embed.gguf');
// ~2 KB every 100 ms: slow enough to watch and cancel
srv.serve('/cdn/slow-embed.gguf', { body, chunk: 2048, delayMs: 100 });
srv.serve('/cdn/cut-embed.gguf', { body, cutAfter: 60000, cuts: 99 });
console.log(srv.url('/resolve/slow-embed.gguf'));
console.log(srv.url('/resolve/cut-embed.gguf'));
setInterval(() => {}, 1 << 30);
