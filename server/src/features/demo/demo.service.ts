import { DEMO_ACCOUNTS } from './demo.seed';
import type { DemoAccount } from './demo.type';

/** Tells the sign-in page which demo logins exist. */
export class DemoService {
  /** `seeded`: SEED_DEMO is on, so createApp added (or found) the demo accounts before serving. */
  constructor(private readonly seeded: boolean) {}

  /** The demo logins, or null when this server has none (production by default). */
  accounts(): DemoAccount[] | null {
    return this.seeded ? DEMO_ACCOUNTS.map((account) => ({ ...account })) : null;
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly demo: DemoService;
  }
}
