import { notFound } from '../platform/errors';
import { parseSlotId, toBusySlot, toSlot } from './mapping';
import { invalid } from './outcome';
import type { ResourceHandler } from './resource-handler';
import { dateRange, pagedBundle, parseDateBound, referencedId, searchBundle } from './search';

/** Slots are 30 minutes (GraphQL availableSlots' default); a week ahead when the search gives no start. */
export const SLOT_MINUTES = 30;
const DEFAULT_DAYS = 7;

/** Free times computed by the availability service (working hours, days off, bookings), and busy ones (the bookings' times). */
export const slotResource: ResourceHandler = {
  type: 'Slot',
  searchParams: [
    { name: 'schedule', type: 'reference', documentation: 'Schedule/<doctor id>; required.' },
    {
      name: 'start',
      type: 'date',
      documentation: 'The start, ge/gt and lt/le for a window of at most 31 days (default: the next 7 days).',
    },
    { name: 'status', type: 'token', documentation: 'free or busy (both when absent).' },
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
    if (status !== undefined && status !== 'free' && status !== 'busy') throw invalid("Slot status is 'free' or 'busy'.");
    const doctorId = referencedId(schedule, 'Schedule');
    if (doctorId === null) return searchBundle(base, 'Slot', search, [], 0, null);
    const range = dateRange((search.params.get('start') ?? []).map((value) => parseDateBound(value, 'start')));
    const from = range.from ?? now;
    const to = range.to ?? new Date(from.getTime() + DEFAULT_DAYS * 86_400_000);
    const query = { from, to, durationMinutes: SLOT_MINUTES };
    const free =
      status === 'busy'
        ? []
        : (await services.availability.availableSlots(viewer, doctorId, query)).map((start) => toSlot(doctorId, start, SLOT_MINUTES));
    const busy =
      status === 'free'
        ? []
        : (await services.availability.bookedTimes(viewer, doctorId, query)).map((time) => toBusySlot(doctorId, time.start, time.end));
    const slots = [...free, ...busy].sort((a, b) => a.start.localeCompare(b.start));
    return pagedBundle(base, 'Slot', search, slots, (slot) => slot);
  },
};
