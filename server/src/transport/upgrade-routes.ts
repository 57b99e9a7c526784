import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';

/**
 * Routes the HTTP server's WebSocket upgrades by path to the socket servers (`noServer` ones),
 * so several share one port: graphql-ws on `/graphql`, FHIR Subscriptions on
 * `/ws/subscriptions-r4`. Two `ws` servers attached to one HTTP server would each answer the
 * other's upgrades with 400; an upgrade to any other path gets 404 and is closed.
 */
export function routeUpgrades(httpServer: Server, routes: ReadonlyMap<string, WebSocketServer>): void {
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathOf(req.url);
    const server = path === undefined ? undefined : routes.get(path);
    if (!server) {
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // handleUpgrade runs the server's own checks (verifyClient, maxPayload) and answers a refusal itself.
    server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req));
  });
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
