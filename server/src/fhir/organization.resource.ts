import type { Organization, PractitionerRole } from '@medplum/fhirtypes';
import type { Viewer } from '../accounts/authorization';
import type { DoctorAvailability } from '../features/availability/availability.type';
import type { Doctor } from '../features/doctors/doctors.type';
import type { Practice } from '../features/practices/practices.type';
import type { RequestServices } from '../graphql/request-context';
import { notFound } from '../platform/errors';
import type { ResourceHandler } from './resource-handler';
import { pagedBundle, referencedId } from './search';
import { readDoctor } from './practitioner.resource';

function toOrganization(practice: Practice): Organization {
  return { resourceType: 'Organization', id: practice.id, active: true, name: practice.name };
}

/**
 * The practices a signed-in viewer may know: those of the doctors directory (GraphQL shows a
 * Doctor's practice to anyone who sees the doctor), by name.
 */
async function knownPractices(services: RequestServices, viewer: Viewer): Promise<Practice[]> {
  const doctors = await services.doctors.listDoctors(viewer);
  const ids = [...new Set(doctors.map((doctor) => doctor.practiceId))];
  const practices = (await services.practices.practicesByIds(ids)).filter((practice): practice is Practice => practice !== null);
  return practices.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Organization: a practice (id and name, as GraphQL's Doctor.practice shows it). */
export const organizationResource: ResourceHandler = {
  type: 'Organization',
  searchParams: [
    { name: '_id', type: 'token', documentation: 'The practice id.' },
    { name: 'name', type: 'string', documentation: 'Part of the name, any letter case.' },
  ],
  read: async ({ services, viewer }, id) => {
    const practice = (await knownPractices(services, viewer)).find((candidate) => candidate.id === id);
    if (!practice) throw notFound('Organization');
    return toOrganization(practice);
  },
  search: async ({ services, viewer, base }, search) => {
    const id = search.one('_id');
    const name = search.one('name')?.toLowerCase();
    const matching = (await knownPractices(services, viewer)).filter(
      (practice) => (id === undefined || practice.id === id) && (name === undefined || practice.name.toLowerCase().includes(name)),
    );
    return pagedBundle(base, 'Organization', search, matching, toOrganization);
  },
};

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** "HH:MM" wall time as FHIR's time; the end of the day ("24:00") as its last second. */
function fhirTime(wall: string): string {
  return wall === '24:00' ? '23:59:59' : `${wall}:00`;
}

/** Working hours as availableTime (one entry per weekday and window), days off as notAvailable. */
function toPractitionerRole(doctor: Doctor, availability: DoctorAvailability): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: doctor.id,
    active: true,
    practitioner: { reference: `Practitioner/${doctor.id}`, display: doctor.name },
    organization: { reference: `Organization/${doctor.practiceId}` },
    specialty: [{ text: doctor.specialty }],
    ...(availability.weeklyHours.length > 0
      ? {
          availableTime: availability.weeklyHours.map((hours) => ({
            daysOfWeek: [WEEKDAYS[hours.weekday - 1] ?? 'mon'],
            availableStartTime: fhirTime(hours.startTime),
            availableEndTime: fhirTime(hours.endTime),
          })),
        }
      : {}),
    ...(availability.daysOff.length > 0
      ? { notAvailable: availability.daysOff.map((day) => ({ description: 'Day off', during: { start: day, end: day } })) }
      : {}),
    availabilityExceptions: `Times are in ${availability.timeZone}.`,
  };
}

/** PractitionerRole: a doctor in their practice, with their specialty and working hours (its id the doctor's). */
export const practitionerRoleResource: ResourceHandler = {
  type: 'PractitionerRole',
  searchParams: [
    { name: '_id', type: 'token', documentation: 'The doctor id.' },
    { name: 'practitioner', type: 'reference', documentation: 'Practitioner/<doctor id>.' },
    { name: 'organization', type: 'reference', documentation: 'Organization/<practice id>.' },
  ],
  read: async ({ services, viewer }, id) => {
    const doctor = await readDoctor(services, viewer, id);
    return toPractitionerRole(doctor, await services.availability.doctorAvailability(viewer, doctor.id));
  },
  search: async ({ services, viewer, base }, search) => {
    const practitioner = search.one('practitioner');
    const organization = search.one('organization');
    const id = search.one('_id');
    const doctorId = practitioner === undefined ? undefined : referencedId(practitioner, 'Practitioner');
    const practiceId = organization === undefined ? undefined : referencedId(organization, 'Organization');
    const matching = (await services.doctors.listDoctors(viewer)).filter(
      (doctor) =>
        (id === undefined || doctor.id === id) &&
        (doctorId === undefined || doctor.id === doctorId) &&
        (practiceId === undefined || doctor.practiceId === practiceId),
    );
    return pagedBundle(base, 'PractitionerRole', search, matching, async (doctor) =>
      toPractitionerRole(doctor, await services.availability.doctorAvailability(viewer, doctor.id)),
    );
  },
};
