import { Field, ID, InputType, ObjectType } from 'type-graphql';

@InputType({ description: "A third-party app a practice's admin lets in: its OAuth 2 client (docs/apps.md)." })
export class RegisterAppInput {
  @Field(() => ID)
  practiceId!: string;

  @Field({ description: 'Shown to users on the consent page. 1 to 100 characters.' })
  name!: string;

  @Field(() => [String], {
    description:
      'Where the app receives its authorization codes, compared exactly: https://, or http:// only to localhost, 127.0.0.1 or [::1]; no fragment. 1 to 10.',
  })
  redirectUris!: string[];

  @Field(() => [String], {
    description:
      'The scopes it may ask for (SMART v2): openid, fhirUser, offline_access, patient/Appointment.rs, patient/Appointment.cu, patient/Observation.rs, patient/Slot.rs, user/Appointment.rs, user/Patient.rs, launch/patient.',
  })
  scopes!: string[];

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'A server-side app that can keep a secret (client_secret_basic); false: a public client (browser or mobile), PKCE only.',
  })
  confidential?: boolean | null;
}

@InputType({
  description:
    "Changes to a registered app (an admin of its practice); a field left out stays as it is. Users' authorizations holding a scope taken away end (they allow the app again).",
})
export class UpdateAppInput {
  @Field(() => ID)
  appId!: string;

  @Field(() => String, { nullable: true, description: 'Shown to users on the consent page. 1 to 100 characters.' })
  name?: string | null;

  @Field(() => [String], { nullable: true, description: "The app's redirect URIs, all of them (as in registerApp)." })
  redirectUris?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The scopes it may ask for, all of them (as in registerApp).' })
  scopes?: string[] | null;
}

@ObjectType({ description: 'A registered third-party app.' })
export class App {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Its OAuth client_id.' })
  clientId!: string;

  @Field()
  name!: string;

  @Field(() => [String])
  redirectUris!: string[];

  @Field(() => [String])
  scopes!: string[];

  @Field(() => Boolean, { description: 'A confidential client (client_secret_basic); false: a public client, PKCE only.' })
  confidential!: boolean;

  @Field()
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: "A confidential app's client_secret: in registerApp's answer only, never again (null in practiceApps).",
  })
  clientSecret!: string | null;
}

@ObjectType({ description: 'An app the viewer allowed to act for them.' })
export class AuthorizedApp {
  @Field(() => ID, { description: "The app's id (revokeAppAuthorization takes it)." })
  appId!: string;

  @Field()
  name!: string;

  @Field({ description: 'The practice that registered the app.' })
  practiceName!: string;

  @Field(() => [String], { description: 'What the viewer allowed it.' })
  scopes!: string[];

  @Field()
  authorizedAt!: Date;
}
