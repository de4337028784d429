// The speech engine runs from TypeScript source under the Node hosts: register tsx (with the project's path
// aliases), then load the real entry. Electron runs the bundled voiceEngine.js instead.
import { register } from 'tsx/esm/api';

const [entry, tsconfig] = process.argv.slice(2);
register({ tsconfig });
await import(entry);
