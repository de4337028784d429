import type { DesktopApi } from './api';

declare global {
  interface Window {
    /** Present only inside the Electron app; the renderer reaches it solely through src/renderer/src/api/client.ts. */
    api?: DesktopApi;
  }
}
export {};
