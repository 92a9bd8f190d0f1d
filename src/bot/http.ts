/**
 * The bot's one HTTP server (config `server.port` / HTTP_PORT): the Telegram webhook now,
 * health and metrics beside it. Routes are exact paths; anything else is a 404.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorLine, type Log, silentLog } from '../app/jobs/index.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServer {
  /** The port it listens on (the one asked for, or the one given for port 0). */
  port: number;
  close(): Promise<void>;
}

/** The server could not listen; the message is one line naming the setting to change. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

function listenProblem(error: unknown, host: string, port: number): string {
  const at = `cannot listen on ${host}:${port}`;
  switch ((error as { code?: unknown }).code) {
    case 'EADDRINUSE':
      return `${at}: the port is in use (another program, or another briefwire); set HTTP_PORT (server.port) to a free port`;
    case 'EACCES':
    case 'EPERM':
      return `${at}: ports below 1024 need privileges; set HTTP_PORT (server.port) to 1024 or above`;
    case 'EADDRNOTAVAIL':
      return `${at}: ${host} is no address of this machine; set server.host to one of its addresses, or 0.0.0.0 for all`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${at}: the name ${host} does not resolve; set server.host to an address such as 0.0.0.0`;
    default:
      return `${at}: ${errorLine(error)}`;
  }
}

/** Listens on `host:port`; rejects with a ListenError that says what to change. */
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
    const failed = (error: unknown): void => {
      reject(new ListenError(listenProblem(error, options.host, options.port)));
    };
    server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.off('error', failed);
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
