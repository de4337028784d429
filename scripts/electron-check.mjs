// `npm start` / `npm run dev` / `npm run dist` start here: stop with one clear line if Electron's binary is missing.
import { electronBinary, electronVersion } from './electron-binary.mjs';

if (!electronBinary()) {
  process.stderr.write(
    `Electron ${electronVersion() ?? ''} is installed without its binary (it is downloaded separately and could not be here). ` +
      'With internet access run `npx install-electron --no` (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron); ' +
      'meanwhile `npm run web` runs the same app in your browser.\n',
  );
  process.exit(1);
}
