import { AppointmentService } from '../features/appointments/appointments.service';
import { DoctorService } from '../features/doctors/doctors.service';
import { PatientService } from '../features/patients/patients.service';
import { UserService } from '../features/users/users.service';
import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from './logger';
import { EventPublisher } from './outbox';
import type { AppPubSub } from './pubsub';
import type { TokenService } from './tokens';

/** One instance of each service per server; resolvers reach them through the context. */
export interface Services {
  readonly users: UserService;
  readonly doctors: DoctorService;
  readonly patients: PatientService;
  readonly appointments: AppointmentService;
}

export function createServices(deps: { prisma: PrismaClient; pubSub: AppPubSub; tokens: TokenService; logger: Logger }): Services {
  const publisher = new EventPublisher(deps.prisma, deps.pubSub, deps.logger);
  return {
    users: new UserService(deps.prisma, deps.tokens),
    doctors: new DoctorService(deps.prisma),
    patients: new PatientService(deps.prisma),
    appointments: new AppointmentService(deps.prisma, deps.pubSub, publisher),
  };
}
