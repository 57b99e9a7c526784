import { AppointmentService } from '../features/appointments/appointments.service';
import { DoctorService } from '../features/doctors/doctors.service';
import { PatientService } from '../features/patients/patients.service';
import { UserService } from '../features/users/users.service';
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from './config';
import type { Logger } from './logger';
import type { OutboxDispatcher } from './outbox-dispatcher';
import type { AppPubSub } from './pubsub';
import type { TokenService } from './tokens';

/** One instance of each service per server; resolvers reach them through the context. */
export interface Services {
  readonly users: UserService;
  readonly doctors: DoctorService;
  readonly patients: PatientService;
  readonly appointments: AppointmentService;
}

export function createServices(deps: {
  prisma: PrismaClient;
  pubSub: AppPubSub;
  dispatcher: OutboxDispatcher;
  tokens: TokenService;
  logger: Logger;
  config: Pick<Config, 'subscriptionMaxQueuedEvents'>;
}): Services {
  return {
    users: new UserService(deps.prisma, deps.tokens),
    doctors: new DoctorService(deps.prisma),
    patients: new PatientService(deps.prisma),
    appointments: new AppointmentService(deps.prisma, deps.pubSub, deps.dispatcher, deps.logger, {
      maxQueuedEvents: deps.config.subscriptionMaxQueuedEvents,
    }),
  };
}
