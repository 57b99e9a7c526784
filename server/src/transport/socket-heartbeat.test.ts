import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { SocketHeartbeat } from './socket-heartbeat';

// A real `ws` server and clients on loopback: one client answers pings as every browser does,
// the other (autoPong off) stands for a peer that vanished without closing.
describe('SocketHeartbeat', () => {
  const INTERVAL_MS = 40;
  let server: WebSocketServer;
  let heartbeat: SocketHeartbeat;

  beforeEach(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    heartbeat = new SocketHeartbeat(server, INTERVAL_MS);
  });

  afterEach(async () => {
    heartbeat.stop();
    for (const socket of server.clients) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  const connect = async (autoPong: boolean) => {
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { autoPong });
    await once(client, 'open');
    return client;
  };

  it('terminates a socket that does not answer its ping, and keeps one that does', async () => {
    const alive = await connect(true);
    const gone = await connect(false);
    let alivePings = 0;
    alive.on('ping', () => (alivePings += 1));
    const [code] = (await once(gone, 'close')) as [number];
    // Terminated, not closed: there is no peer to hear a close frame.
    expect(code).toBe(1006);
    // The live one was pinged in the rounds that cut the other, and stays open after more rounds.
    const pingsBefore = alivePings;
    await once(alive, 'ping');
    await once(alive, 'ping');
    expect(alivePings).toBeGreaterThanOrEqual(pingsBefore + 2);
    expect(alive.readyState).toBe(WebSocket.OPEN);
    alive.close();
  });
});
