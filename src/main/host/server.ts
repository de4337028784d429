import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError, type ErrorCode } from '@shared/errors';
import type { Core } from '../core/createCore';
import { CONTENT_SECURITY_POLICY } from '@shared/csp';

export interface WebHostOptions {
  core: Core;
  /** Folder with the built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token (tests); by default a random one per launch. */
  token?: string;
}

export interface WebHost {
  url: string;
  /** The URL to open: carries the token in the fragment, which browsers never send to the server. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  budget_exceeded: 402,
  provider_error: 502,
  unavailable: 503,
  cancelled: 409,
  internal: 500,
  rate_limited: 429,
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const MAX_BODY = 12 * 1024 * 1024;
/**
 * After refusing a too-large body, how much more of it is read and thrown away so the client (which is still sending)
 * gets the 413 answer rather than a reset socket. A sender that goes on beyond this is cut off.
 */
const MAX_DRAIN = 256 * 1024 * 1024;

const tooLarge = (): AppError =>
  new AppError('validation', `The request is too large (${MAX_BODY / 1024 / 1024} MB at most). Large files go through the upload in chunks (import.stage).`, {
    reason: 'body_too_large',
    limitBytes: MAX_BODY,
  });
const isTooLarge = (e: AppError): boolean => e.details?.reason === 'body_too_large';

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Serves the built renderer and the app contract on 127.0.0.1 only. Every API request needs the per-launch token;
 * requests whose Origin or Host is not this server are refused (no CORS, no DNS rebinding).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(options.staticDir);
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const refuse = (res: ServerResponse, status: number, message: string): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ ok: false, error: { code: 'forbidden', message } }));
  };

  const hostAndOriginOk = (req: IncomingMessage): string | null => {
    if (!req.headers.host || !allowedHosts().includes(req.headers.host)) return 'This server only answers on 127.0.0.1.';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) return 'Requests from other sites are refused.';
    return null;
  };

  const tokenOf = (req: IncomingMessage): string => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7);
    const header = req.headers['x-intelligence-desk-token'];
    return typeof header === 'string' ? header : '';
  };

  /**
   * Reads a JSON body up to MAX_BODY. Over the limit (declared by Content-Length, or found while reading a chunked
   * body) it rejects with a typed error and stops keeping the bytes; the caller answers 413 and drains the rest.
   */
  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((ok, fail) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > MAX_BODY) {
        fail(tooLarge());
        return;
      }
      let chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      const onData = (c: Buffer): void => {
        size += c.length;
        if (size > MAX_BODY) {
          refused = true;
          chunks = [];
          req.off('data', onData);
          fail(tooLarge());
        } else chunks.push(c);
      };
      req.on('data', onData);
      req.on('end', () => !refused && ok(Buffer.concat(chunks).toString('utf8')));
      req.on('error', fail);
    });

  /** Reads and discards what is left of a refused body (bounded), so the answer reaches the client; then closes. */
  const drain = (req: IncomingMessage): void => {
    let drained = 0;
    req.on('data', (c: Buffer) => {
      drained += c.length;
      if (drained > MAX_DRAIN) req.destroy();
    });
    req.resume();
  };

  const handleInvoke = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let status = 200;
    let payload: unknown;
    try {
      const body = JSON.parse(await readBody(req)) as { route?: unknown; input?: unknown };
      payload = { ok: true, result: await options.core.invoke(body.route, body.input) };
    } catch (error) {
      const e = error instanceof SyntaxError ? new AppError('validation', 'The request body is not JSON.') : AppError.wrap(error);
      if (isTooLarge(e)) {
        // 413 with the typed error, then read the rest of the body away: destroying the socket instead made the
        // client see a connection reset and never the answer. The connection closes once the body has been read.
        drain(req);
        res.writeHead(413, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' });
        res.end(JSON.stringify({ ok: false, error: e.toJSON() }));
        return;
      }
      status = STATUS[e.code];
      payload = { ok: false, error: e.toJSON() };
    }
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(payload));
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    let file = resolve(staticRoot, rel);
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(404).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticRoot, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The renderer is not built. Run `npm run build` (npm run web does it for you).');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
    };
    if (file.endsWith('.html')) {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['x-frame-options'] = 'DENY';
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    const problem = hostAndOriginOk(req);
    if (problem) return refuse(res, 403, problem);
    const path = (req.url ?? '/').split('?')[0];
    if (path?.startsWith('/api/')) {
      if (!sameToken(tokenOf(req), token)) return refuse(res, 401, 'Missing or wrong access token: open the URL the web host printed.');
      if (path === '/api/invoke' && req.method === 'POST') {
        void handleInvoke(req, res);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: { code: 'not_found', message: 'No such API path.' } }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served here.');
    serveStatic(req, res);
  });

  // Events: a WebSocket at /api/events; the browser cannot set headers on it, so the token travels in the
  // first message rather than in the URL (which would end up in logs).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const problem = hostAndOriginOk(req);
    if (problem || (req.url ?? '').split('?')[0] !== '/api/events') {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let authed = false;
      const timer = setTimeout(() => !authed && ws.close(4001, 'token required'), 5000);
      ws.on('message', (data) => {
        if (authed) return;
        const msg = (() => {
          try {
            return JSON.parse(String(data)) as { token?: string };
          } catch {
            return {};
          }
        })();
        if (typeof msg.token === 'string' && sameToken(msg.token, token)) {
          authed = true;
          clearTimeout(timer);
          sockets.add(ws);
          ws.send(JSON.stringify({ event: 'ready' }));
        } else ws.close(4001, 'wrong token');
      });
      ws.on('close', () => {
        clearTimeout(timer);
        sockets.delete(ws);
      });
    });
  });
  const unsubscribe = options.core.events.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
