/**
 * The arguments Apollo keeps in a cached field's store name (`practiceSchedule({"date":…})`), so
 * a live event can find every cached list it belongs to; {} when there are none or they are not JSON.
 */
export function storedArgs(storeFieldName: string): Record<string, unknown> {
  const open = storeFieldName.indexOf('(');
  if (open < 0) return {};
  try {
    return JSON.parse(storeFieldName.slice(open + 1, -1)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
