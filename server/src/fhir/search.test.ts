import { dateRange, parseDateBound, parseSearch, referencedId, searchBundle } from './search';
import { FhirError } from './outcome';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof FhirError ? `${error.status} ${error.code}` : 'other';
  }
  return 'none';
};

describe('parseSearch', () => {
  it('refuses unknown parameters and modifiers with not-supported instead of ignoring them', () => {
    expect(refusal(() => parseSearch({ gender: 'female' }, ['name']))).toBe('400 not-supported');
    expect(refusal(() => parseSearch({ 'name:exact': 'x' }, ['name']))).toBe('400 not-supported');
  });

  it('takes _count from 1 to 100 (50 by default) and a whole _offset', () => {
    expect(parseSearch({}, []).count).toBe(50);
    expect(parseSearch({ _count: '100', _offset: '7' }, [])).toMatchObject({ count: 100, offset: 7 });
    for (const query of [{ _count: '0' }, { _count: '101' }, { _count: '1.5' }, { _offset: '-1' }]) {
      expect(refusal(() => parseSearch(query, []))).toBe('400 invalid');
    }
  });

  it('allows a parameter twice only when it is repeatable', () => {
    expect(refusal(() => parseSearch({ name: ['a', 'b'] }, ['name']))).toBe('400 invalid');
    expect(parseSearch({ date: ['ge2027-01-01', 'lt2027-02-01'] }, ['date'], ['date']).params.get('date')).toHaveLength(2);
  });
});

describe('dates and references', () => {
  it('reads date prefixes into a half-open range; a bare day is that day', () => {
    const range = dateRange([parseDateBound('ge2027-01-01', 'date'), parseDateBound('lt2027-01-03T10:00:00Z', 'date')]);
    expect(range).toEqual({ from: new Date('2027-01-01T00:00:00Z'), to: new Date('2027-01-03T10:00:00Z') });
    expect(dateRange([parseDateBound('2027-01-01', 'date')])).toEqual({
      from: new Date('2027-01-01T00:00:00Z'),
      to: new Date('2027-01-02T00:00:00Z'),
    });
    expect(refusal(() => parseDateBound('yesterday', 'date'))).toBe('400 invalid');
  });

  it('takes a reference of the right type, or a bare id; anything else matches nothing', () => {
    const id = '0b6f5cbe-7a55-4e9a-9a43-3f1f0f7f4c11';
    expect(referencedId(`Patient/${id}`, 'Patient')).toBe(id);
    expect(referencedId(id, 'Patient')).toBe(id);
    expect(referencedId(`Practitioner/${id}`, 'Patient')).toBeNull();
    expect(referencedId('Patient/42', 'Patient')).toBeNull();
  });
});

describe('searchBundle', () => {
  it('links the next page with the same parameters, and none on the last page', () => {
    const search = parseSearch({ status: 'booked', _count: '2' }, ['status']);
    const bundle = searchBundle('http://x/fhir/R4', 'Appointment', search, [], 5, { offset: 2 });
    expect(bundle).toMatchObject({ type: 'searchset', total: 5 });
    expect(bundle.link?.find((link) => link.relation === 'next')?.url).toBe(
      'http://x/fhir/R4/Appointment?status=booked&_count=2&_offset=2',
    );
    expect(searchBundle('http://x/fhir/R4', 'Appointment', search, [], 1, null).link?.map((link) => link.relation)).toEqual(['self']);
  });
});
