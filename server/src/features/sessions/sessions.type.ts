import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A sign-in of the account: every token names one, and dies with it.' })
export class Session {
  @Field(() => ID)
  id!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a request last used it (updated at most once a minute).' })
  lastSeenAt!: Date | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field({ description: 'True for the session of the token that asks.' })
  current!: boolean;
}
