import { notFound } from '../platform/errors';
import { parseSlotId, toSlot } from './mapping';
import { invalid } from './outcome';
import type { ResourceHandler } from './resource-handler';
import { dateRange, pagedBundle, parseDateBound, referencedId, searchBundle } from './search';

/** Slots are 30 minutes (GraphQL availableSlots' default); a week ahead when the search gives no start. */
export const SLOT_MINUTES = 30;
const DEFAULT_DAYS = 7;

/** Free times computed by the availability service (working hours, days off, bookings). */
export const slotResource: ResourceHandler = {
  type: 'Slot',
  searchParams: [
    { name: 'schedule', type: 'reference', documentation: 'Schedule/<doctor id>; required.' },
    {
      name: 'start',
      type: 'date',
      documentation: 'The start, ge/gt and lt/le for a window of at most 31 days (default: the next 7 days).',
    },
    { name: 'status', type: 'token', documentation: 'free (only free slots are listed).' },
  ],
  repeatable: ['start'],
  read: async ({ services, viewer }, id) => {
    const parsed = parseSlotId(id);
    if (!parsed) throw notFound('Slot');
    const free = await services.availability.availableSlots(viewer, parsed.doctorId, {
      from: parsed.start,
      to: new Date(parsed.start.getTime() + SLOT_MINUTES * 60_000),
      durationMinutes: SLOT_MINUTES,
    });
    if (!free.some((start) => start.getTime() === parsed.start.getTime())) throw notFound('Slot');
    return toSlot(parsed.doctorId, parsed.start, SLOT_MINUTES);
  },
  search: async ({ services, viewer, base, now }, search) => {
    const schedule = search.one('schedule');
    if (schedule === undefined) throw invalid('Slot search needs schedule=Schedule/<doctor id>.');
    const status = search.one('status');
    const doctorId = referencedId(schedule, 'Schedule');
    if (doctorId === null || (status !== undefined && status !== 'free')) return searchBundle(base, 'Slot', search, [], 0, null);
    const range = dateRange((search.params.get('start') ?? []).map((value) => parseDateBound(value, 'start')));
    const from = range.from ?? now;
    const to = range.to ?? new Date(from.getTime() + DEFAULT_DAYS * 86_400_000);
    const free = await services.availability.availableSlots(viewer, doctorId, { from, to, durationMinutes: SLOT_MINUTES });
    return pagedBundle(base, 'Slot', search, free, (start) => toSlot(doctorId, start, SLOT_MINUTES));
  },
};
