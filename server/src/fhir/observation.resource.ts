import { Role } from '../generated/prisma/enums';
import { forbidden, notFound } from '../platform/errors';
import { parseObservationId, toObservations, vitalSignOfCode } from './mapping';
import { invalid } from './outcome';
import type { ResourceHandler } from './resource-handler';
import { nextByOffset, referencedId, searchBundle } from './search';

/** Vitals as vital-signs Observations: the patient and the doctors who treat them now; never the desk (403). */
export const observationResource: ResourceHandler = {
  type: 'Observation',
  searchParams: [
    { name: 'patient', type: 'reference', documentation: 'Patient/<id>; required unless the viewer is that patient.' },
    { name: 'subject', type: 'reference', documentation: 'The same as patient.' },
    {
      name: 'code',
      type: 'token',
      documentation: 'A LOINC code (8867-4, 85354-9, 8310-5, 9279-1, 59408-5, 29463-7), with or without http://loinc.org|.',
    },
    { name: 'category', type: 'token', documentation: 'vital-signs (every Observation here is one).' },
  ],
  read: async ({ services, viewer }, id) => {
    const parsed = parseObservationId(id);
    if (!parsed) throw notFound('Observation');
    const { vitals, patientId } = await services.vitals.readVitals(viewer, parsed.vitalsId);
    const [observation] = toObservations(vitals, patientId, parsed.sign.field);
    if (!observation) throw notFound('Observation');
    return observation;
  },
  search: async ({ services, viewer, base }, search) => {
    const subject = search.one('patient') ?? search.one('subject') ?? (viewer.role === Role.PATIENT ? viewer.userId : undefined);
    if (subject === undefined) throw invalid('Observation search needs patient=Patient/<id>.');
    const category = search.one('category');
    const code = search.one('code');
    const sign = code === undefined ? undefined : vitalSignOfCode(code);
    const patientId = referencedId(subject, 'Patient');
    const noMatch =
      patientId === null ||
      (code !== undefined && !sign) ||
      (category !== undefined && category !== 'vital-signs' && !category.endsWith('|vital-signs'));
    if (noMatch) {
      // Still the chart's rule for the desk, so an empty answer never hides a refusal.
      if (viewer.role === Role.STAFF) throw forbidden('The front desk does not see clinical data.');
      return searchBundle(base, 'Observation', search, [], 0, null);
    }
    // Pages are of measurement sets (`_count` sets, each one Observation per value taken); `total` counts Observations.
    const { vitals, total, measurements } = await services.vitals.searchVitals(viewer, patientId, search.count, search.offset, sign?.field);
    const observations = vitals.flatMap((set) => toObservations(set, patientId, sign?.field));
    return searchBundle(base, 'Observation', search, observations, measurements, nextByOffset(search, vitals.length, total));
  },
};
