import type { WebSocket, WebSocketServer } from 'ws';

/** How often every socket is pinged; one that has not answered the ping before gets cut. */
export const HEARTBEAT_INTERVAL_MS = 12_000;

/**
 * Finds sockets whose peer is gone without a close (a laptop lid shut, a dropped network): each
 * round pings every socket of the server, and terminates those that did not answer the previous
 * round's ping, so a dead peer is let go within two intervals.
 *
 * One timer for the whole server, as `ws`'s own documentation does it: graphql-ws's built-in
 * keep-alive (turned off where this runs) gives every socket its own interval, and each ping its
 * own timeout and pong listener, which thousands of idle dashboards pay for in memory and timers.
 */
export class SocketHeartbeat {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly server: WebSocketServer,
    intervalMs = HEARTBEAT_INTERVAL_MS,
  ) {
    server.on('connection', (socket) => socket.on('pong', answered));
    this.timer = setInterval(() => this.round(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private round(): void {
    for (const socket of this.server.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
  }
}

/** Sockets pinged in the last round that have not answered yet (a socket belongs to one server). */
const unanswered = new WeakSet<WebSocket>();

/** The pong listener of every socket (`ws` calls it with the socket as `this`): one function, not a closure each. */
function answered(this: WebSocket): void {
  unanswered.delete(this);
}
