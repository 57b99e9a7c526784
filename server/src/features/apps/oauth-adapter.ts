import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../../platform/clock';
import type { Sql } from '../../platform/sql';
import {
  consumeRecord,
  destroyRecord,
  findRecord,
  findRecordByUid,
  findRecordByUserCode,
  recordKey,
  revokeGrantRecords,
  upsertRecord,
} from './oauth-records.sql';

/** The client metadata of an app, by client id (apps.service.ts reads the apps table). */
export type FindClient = (clientId: string) => Promise<AdapterPayload | undefined>;

/** Announces deleted access tokens by stored key, so every instance closes their sockets (never throws). */
export type AnnounceRevoked = (tokenKeys: readonly string[]) => Promise<void>;

/**
 * oidc-provider's storage on PostgreSQL (oauth_records), one instance per model the provider
 * keeps (AccessToken, AuthorizationCode, RefreshToken, Grant, Session, Interaction...). Clients are
 * not stored here: the provider reads them from the apps practices registered (`findClient`).
 * Ids are stored hashed and `jti` left out of the stored payload (it is the id, hence a token or
 * code itself): find puts it back. Sessions keep theirs (the provider finds them by uid too).
 */
export class OAuthAdapter implements Adapter {
  constructor(
    private readonly kind: string,
    private readonly sql: Sql,
    private readonly clock: Clock,
    private readonly findClient: FindClient,
    private readonly announceRevoked: AnnounceRevoked,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    if (this.kind === 'Client') throw new Error('Clients are registered with registerApp, not stored by the provider.');
    // Sessions and device codes are also found by uid / user code, where the id is not at hand.
    const stored = KEPT_JTI.has(this.kind) ? payload : withoutJti(payload);
    const expiresAt = typeof expiresIn === 'number' ? new Date(this.clock().getTime() + expiresIn * 1000) : null;
    await upsertRecord(this.sql, {
      kind: this.kind,
      id,
      payload: stored,
      expiresAt,
      grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.kind === 'Client') return this.findClient(id);
    const found = await findRecord(this.sql, this.kind, id, this.clock());
    return found && { ...found, jti: id };
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return findRecordByUid(this.sql, this.kind, uid, this.clock());
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return findRecordByUserCode(this.sql, this.kind, userCode, this.clock());
  }

  async consume(id: string): Promise<void> {
    await consumeRecord(this.sql, this.kind, id, this.clock());
  }

  /** An access token destroyed (RFC 7009 revocation) is announced: the sockets it opened close on every instance. */
  async destroy(id: string): Promise<void> {
    await destroyRecord(this.sql, this.kind, id);
    if (this.kind === 'AccessToken') await this.announceRevoked([recordKey(id)]);
  }

  /**
   * Every code and token of the grant, whichever model asks (as the provider's own adapters do):
   * revocation of a token (the provider ends its grant's other tokens too), a reused refresh token
   * or code. The access tokens deleted are announced, so their sockets close on every instance.
   */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.announceRevoked(await revokeGrantRecords(this.sql, grantId));
  }
}

const KEPT_JTI = new Set(['Session', 'DeviceCode', 'BackchannelAuthenticationRequest']);

function withoutJti(payload: AdapterPayload): Record<string, unknown> {
  const { jti: _jti, ...rest } = payload;
  return rest;
}
