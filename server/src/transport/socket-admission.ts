import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Config } from '../platform/config';
import { clientAddressOf, type TrustFunction } from '../platform/client-address';
import type { Logger } from '../platform/logger';

/** Closed when the client address already holds WS_MAX_UNAUTHENTICATED_PER_ADDRESS sockets that have not signed in. */
export const TOO_MANY_SOCKETS = 4429;

export type AdmissionConfig = Pick<Config['sockets'], 'allowedOrigins' | 'maxUnauthenticatedPerAddress'>;

/**
 * Who may open a socket, before graphql-ws sees it:
 * - Origin: a browser always sends one, so a page of another site cannot ride a signed-in
 *   user's socket (cross-site WebSocket hijacking). Allowed: no Origin (apps, servers), the
 *   server's own origin (the Host it was reached at), and WS_ALLOWED_ORIGINS; others get 403.
 * - Sockets that have not signed in yet cost memory and a token verification; one address may
 *   hold WS_MAX_UNAUTHENTICATED_PER_ADDRESS of them (graphql-ws drops each after its 3 s
 *   connection_init wait anyway); more are closed with 4429 at once.
 */
export function createSocketAdmission(config: AdmissionConfig, trust: TrustFunction, logger: Logger) {
  const allowed = new Set(config.allowedOrigins);
  const pendingPerAddress = new Map<string, number>();
  const pending = new WeakMap<WebSocket, string>();
  const addresses = new WeakMap<WebSocket, string>();

  const release = (socket: WebSocket) => {
    const address = pending.get(socket);
    if (address === undefined) return;
    pending.delete(socket);
    const left = (pendingPerAddress.get(address) ?? 1) - 1;
    if (left > 0) pendingPerAddress.set(address, left);
    else pendingPerAddress.delete(address);
  };

  return {
    /** ws's verifyClient: refuses other sites' pages with 403 before the upgrade. */
    verifyClient(info: { origin: string | undefined; req: IncomingMessage }): boolean {
      const origin = info.req.headers.origin;
      if (origin === undefined || allowed.has(origin)) return true;
      const host = info.req.headers.host;
      if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) return true;
      logger.info({ origin }, 'refused a websocket from a disallowed origin');
      return false;
    },
    /** Counts a new socket against its address; closes it with 4429 when the address has too many pending. */
    admit(socket: WebSocket, req: IncomingMessage): void {
      const address = clientAddressOf(req, trust);
      addresses.set(socket, address);
      const count = pendingPerAddress.get(address) ?? 0;
      if (count >= config.maxUnauthenticatedPerAddress) {
        logger.info({ clientAddress: address }, 'refused a websocket: too many unauthenticated sockets from this address');
        socket.close(TOO_MANY_SOCKETS, 'Too many sockets from this address are not signed in');
        return;
      }
      pendingPerAddress.set(address, count + 1);
      pending.set(socket, address);
      socket.on('close', () => release(socket)); // comes once; `on` costs no wrapper per socket
    },
    /** The socket signed in: it no longer counts as unauthenticated. */
    authenticated: release,
    /** The client address computed at the upgrade (TRUST_PROXY applied). */
    addressOf(socket: WebSocket): string | undefined {
      return addresses.get(socket);
    },
  };
}

export type SocketAdmission = ReturnType<typeof createSocketAdmission>;
