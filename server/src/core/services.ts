import { AppointmentService } from '../features/appointments/appointments.service';
import { DemoService } from '../features/demo/demo.service';
import { DoctorService } from '../features/doctors/doctors.service';
import { PatientService } from '../features/patients/patients.service';
import { ScheduleService } from '../features/schedule/schedule.service';
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
  readonly schedule: ScheduleService;
  readonly demo: DemoService;
}

export function createServices(deps: {
  prisma: PrismaClient;
  pubSub: AppPubSub;
  tokens: TokenService;
  logger: Logger;
  /** SEED_DEMO: the demo accounts exist, so demoAccounts lists them. */
  seedDemo: boolean;
}): Services {
  const publisher = new EventPublisher(deps.prisma, deps.pubSub, deps.logger);
  return {
    users: new UserService(deps.prisma, deps.tokens),
    doctors: new DoctorService(deps.prisma),
    patients: new PatientService(deps.prisma),
    appointments: new AppointmentService(deps.prisma, deps.pubSub, publisher),
    schedule: new ScheduleService(deps.prisma),
    demo: new DemoService(deps.seedDemo),
  };
}
