/** The API's HTTP and WebSocket endpoints: always the page's own origin (the server serves both). */
export function graphqlUrls(location: Pick<Location, 'protocol' | 'host'>): { http: string; ws: string } {
  const wsProtocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { http: `${location.protocol}//${location.host}/graphql`, ws: `${wsProtocol}//${location.host}/graphql` };
}
