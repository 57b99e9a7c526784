import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { BoundedDateTimeISO } from './graphql/bounded-date-time';
import { toTypeGraphqlPubSub, type AppPubSub } from './live/pubsub';
import { AppointmentResolver } from './features/appointments/appointments.resolver';
import { AvailabilityResolver } from './features/availability/availability.resolver';
import { DemoResolver } from './features/demo/demo.resolver';
import { DoctorResolver } from './features/doctors/doctors.resolver';
import { PatientResolver } from './features/patients/patients.resolver';
import { MedicalRecordResolver } from './features/records/records.resolver';
import { ScheduleResolver } from './features/schedule/schedule.resolver';
import { UserResolver } from './features/users/users.resolver';
import { VitalsResolver } from './features/vitals/vitals.resolver';

/**
 * The executable schema. Authorization is not a decorator here: each service checks the viewer at
 * its top (see core/authorization.ts), so the rule sits next to what it protects and is tested
 * without GraphQL. Input is validated by the services too, hence `validate: false`.
 */
export function buildAppSchema(deps: { pubSub: AppPubSub }): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      UserResolver,
      DoctorResolver,
      PatientResolver,
      AppointmentResolver,
      AvailabilityResolver,
      VitalsResolver,
      MedicalRecordResolver,
      ScheduleResolver,
      DemoResolver,
    ],
    pubSub: toTypeGraphqlPubSub(deps.pubSub),
    validate: false,
    // Every date argument is range-checked where it is read (graphql/bounded-date-time.ts).
    scalarsMap: [{ type: Date, scalar: BoundedDateTimeISO }],
    emitSchemaFile: false,
  });
}
