import type { Doctor } from '../features/doctors/doctors.type';
import type { RequestServices } from '../graphql/request-context';
import { requireViewer, type Viewer } from '../accounts/authorization';
import { notFound } from '../platform/errors';
import { isUuid } from '../platform/validation';
import { toPractitioner, toSchedule } from './mapping';
import type { ResourceHandler } from './resource-handler';
import { pagedBundle, referencedId, type SearchRequest } from './search';

/** A doctor any signed-in viewer may see (as GraphQL `doctors`); NOT_FOUND otherwise. */
export async function readDoctor(services: RequestServices, viewer: Viewer, id: string): Promise<Doctor> {
  requireViewer(viewer);
  const doctor = isUuid(id) ? await services.doctors.activeDoctor(id) : null;
  if (!doctor) throw notFound('Practitioner');
  return doctor;
}

/** The doctors a search names (`_id`, a name part), in the order of GraphQL `doctors` (by name). */
async function matchingDoctors(services: RequestServices, viewer: Viewer, search: SearchRequest, idParam: string): Promise<Doctor[]> {
  const id = search.one(idParam);
  const wanted = id === undefined ? undefined : (referencedId(id, 'Practitioner') ?? '');
  const name = search.one('name')?.toLowerCase();
  return (await services.doctors.listDoctors(viewer)).filter(
    (doctor) => (wanted === undefined || doctor.id === wanted) && (name === undefined || doctor.name.toLowerCase().includes(name)),
  );
}

export const practitionerResource: ResourceHandler = {
  type: 'Practitioner',
  searchParams: [
    { name: '_id', type: 'token', documentation: 'The doctor id.' },
    { name: 'name', type: 'string', documentation: 'Part of the name, any letter case.' },
  ],
  read: async ({ services, viewer }, id) => toPractitioner(await readDoctor(services, viewer, id)),
  search: async ({ services, viewer, base }, search) => {
    const doctors = await matchingDoctors(services, viewer, search, '_id');
    return pagedBundle(base, 'Practitioner', search, doctors, toPractitioner);
  },
};

/** One Schedule per doctor (its id the doctor's): the calendar the doctor's free Slots belong to. */
export const scheduleResource: ResourceHandler = {
  type: 'Schedule',
  searchParams: [
    { name: '_id', type: 'token', documentation: 'The doctor id.' },
    { name: 'actor', type: 'reference', documentation: 'Practitioner/<doctor id>.' },
  ],
  read: async ({ services, viewer }, id) => toSchedule(await readDoctor(services, viewer, id)),
  search: async ({ services, viewer, base }, search) => {
    const idParam = search.one('actor') !== undefined ? 'actor' : '_id';
    const doctors = await matchingDoctors(services, viewer, search, idParam);
    const byId = search.one('_id');
    const filtered = idParam === 'actor' && byId !== undefined ? doctors.filter((doctor) => doctor.id === byId) : doctors;
    return pagedBundle(base, 'Schedule', search, filtered, toSchedule);
  },
};
