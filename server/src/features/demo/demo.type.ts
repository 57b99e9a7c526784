import { Field, ObjectType } from 'type-graphql';
import { Role } from '../users/users.type';

@ObjectType({ description: 'A public demo login, listed on the sign-in page while SEED_DEMO is on.' })
export class DemoAccount {
  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field({ description: 'The shared demo password: these accounts are public by design.' })
  password!: string;
}
