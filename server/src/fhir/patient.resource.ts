import { Role } from '../generated/prisma/enums';
import { isPublicError, ErrorCode } from '../platform/errors';
import { toFhirPatient } from './mapping';
import { invalid, notSupported } from './outcome';
import type { ResourceHandler } from './resource-handler';
import { nextByOffset, searchBundle } from './search';

/** Patient: the patient themself, a doctor who treats them now, the desk of a practice that lists them. */
export const patientResource: ResourceHandler = {
  type: 'Patient',
  searchParams: [
    { name: '_id', type: 'token', documentation: 'The patient id (the GraphQL Patient id).' },
    { name: 'name', type: 'string', documentation: "Part of the name. A doctor's patients, a practice's desk; a patient's own record." },
    {
      name: 'birthdate',
      type: 'date',
      documentation: "The date of birth, YYYY-MM-DD. A doctor's patients, a practice's desk; a patient's own record.",
    },
  ],
  read: async ({ services, viewer }, id) => toFhirPatient(await services.patients.readPatient(viewer, id)),
  search: async ({ services, viewer, base }, search) => {
    const name = search.one('name');
    const birthdate = search.one('birthdate');
    if (birthdate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(birthdate)) throw invalid('birthdate must be a date YYYY-MM-DD.');
    const id = search.one('_id') ?? (viewer.role === Role.PATIENT ? viewer.userId : undefined);
    if (id !== undefined) {
      // One patient at most: the read's rules, and no match for what the viewer may not see.
      const patient = await services.patients.readPatient(viewer, id).catch((error: unknown) => {
        if (isPublicError(error) && error.extensions['code'] === ErrorCode.NotFound) return null;
        throw error;
      });
      const matches =
        patient !== null &&
        (name === undefined || patient.name.toLowerCase().includes(name.toLowerCase())) &&
        (birthdate === undefined || patient.dateOfBirth?.toISOString().slice(0, 10) === birthdate);
      const page = matches && search.offset === 0 ? [toFhirPatient(patient)] : [];
      return searchBundle(base, 'Patient', search, page, matches ? 1 : 0, null);
    }
    const cursor = search.one('_cursor') ?? null;
    if (search.offset !== 0) throw notSupported('Patient lists page with the _cursor of their next link, not _offset.');
    const filter = {
      ...(name === undefined ? {} : { name: name.slice(0, 200) }),
      ...(birthdate === undefined ? {} : { birthDate: birthdate }),
    };
    if (viewer.role === Role.DOCTOR) {
      // The doctor's patient list (everyone who booked with them), narrowed by name and birth date.
      const list = await services.patients.listDoctorPatients(viewer, viewer.userId, search.count, cursor, filter);
      const next = list.pageInfo.hasNextPage && list.pageInfo.endCursor ? { cursor: list.pageInfo.endCursor } : null;
      return searchBundle(
        base,
        'Patient',
        search,
        list.edges.map((edge) => toFhirPatient(edge.node)),
        list.totalCount,
        next,
      );
    }
    if (viewer.role === Role.STAFF) {
      const membership = await services.practiceMembers.membershipOf(viewer);
      if (!membership) return searchBundle(base, 'Patient', search, [], 0, nextByOffset(search, 0, 0));
      const list = await services.practicePatients.listPracticePatients(viewer, membership.practiceId, search.count, cursor, null, filter);
      const next = list.pageInfo.hasNextPage && list.pageInfo.endCursor ? { cursor: list.pageInfo.endCursor } : null;
      return searchBundle(
        base,
        'Patient',
        search,
        list.edges.map((edge) => toFhirPatient(edge.node)),
        list.totalCount,
        next,
      );
    }
    return searchBundle(base, 'Patient', search, [], 0, null);
  },
};
