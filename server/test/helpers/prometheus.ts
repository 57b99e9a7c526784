/** Samples of a Prometheus text exposition, keyed `name{label="value",...}` exactly as written. */
export type Samples = ReadonlyMap<string, number>;

/** Parses Prometheus text format (comments skipped); throws on a line that is not a sample. */
export function parsePrometheus(text: string): Samples {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

/** Fetches and parses GET /metrics. */
export async function scrape(baseUrl: string, token?: string): Promise<Samples> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return parsePrometheus(await response.text());
}
