/**
 * The bot's one HTTP server (config `server.port` / HTTP_PORT): the Telegram webhook now,
 * health and metrics beside it. Routes are exact paths; anything else is a 404.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorLine, type Log, silentLog } from '../scheduler/index.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServer {
  /** The port it listens on (the one asked for, or the one given for port 0). */
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: {
  port: number;
  host: string;
  routes: ReadonlyMap<string, Route>;
  log?: Log;
}): Promise<HttpServer> {
  const log = options.log ?? silentLog;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = options.routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      log.error(`http: ${req.method} ${path}: ${errorLine(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
