/** A response body that is not one of ours, and how the published schema and ours judge it. */
export interface ResponseVariant {
  name: string;
  component: 'ConnectionResponse' | 'Detail';
  body: unknown;
  stricter?: 'responseComplete' | 'problemComplete';
}

const CONNECTION = {
  id: '31fc2178-b094-531c-b39f-abf102c23c05',
  configName: 'prod-ledger-db',
  databaseType: 'POSTGRESQL',
  status: 'AVAILABLE',
  schemaDiscovered: true,
  lastSeenAt: '2026-11-28T15:37:24.115Z',
};
const PROBLEM = {
  type: 'about:blank',
  title: 'Unprocessable Entity',
  status: 422,
  detail: 'The request body failed validation.',
  instance: 'urn:request:5c0f2e4a',
  code: 'MTCH-0005',
  errors: [{ location: 'body.port', message: 'expected number <= 65535', value: 70000 }],
};
const omit = (body: Record<string, unknown>, field: string) => Object.fromEntries(Object.entries(body).filter(([name]) => name !== field));

export const RESPONSE_VARIANTS: ResponseVariant[] = [
  { name: 'a connection', component: 'ConnectionResponse', body: CONNECTION },
  ...Object.keys(CONNECTION).map((field): ResponseVariant => ({
    name: `a connection without ${field}`,
    component: 'ConnectionResponse',
    body: omit(CONNECTION, field),
    stricter: 'responseComplete',
  })),
  {
    name: 'a connection with its host',
    component: 'ConnectionResponse',
    body: { ...CONNECTION, host: 'db.example.com' },
    stricter: 'responseComplete',
  },
  {
    name: 'a connection DELETED',
    component: 'ConnectionResponse',
    body: { ...CONNECTION, status: 'DELETED' },
    stricter: 'responseComplete',
  },
  {
    name: 'a connection of a lower-case type',
    component: 'ConnectionResponse',
    body: { ...CONNECTION, databaseType: 'postgres' },
    stricter: 'responseComplete',
  },
  { name: 'a connection with a numeric id', component: 'ConnectionResponse', body: { ...CONNECTION, id: 42 } },
  {
    name: 'a connection whose schemaDiscovered is a string',
    component: 'ConnectionResponse',
    body: { ...CONNECTION, schemaDiscovered: 'true' },
  },
  { name: 'a problem', component: 'Detail', body: PROBLEM },
  { name: 'a problem without errors', component: 'Detail', body: omit(PROBLEM, 'errors') },
  ...['type', 'title', 'status', 'detail', 'instance', 'code'].map((field): ResponseVariant => ({
    name: `a problem without ${field}`,
    component: 'Detail',
    body: omit(PROBLEM, field),
    stricter: 'problemComplete',
  })),
  { name: 'a problem with errors: null', component: 'Detail', body: { ...PROBLEM, errors: null }, stricter: 'problemComplete' },
  { name: 'a problem with an extra field', component: 'Detail', body: { ...PROBLEM, message: 'x' } },
  {
    name: 'a problem whose error has an extra field',
    component: 'Detail',
    body: { ...PROBLEM, errors: [{ location: 'body', message: 'x', hint: 'y' }] },
  },
  { name: 'a problem whose status is a string', component: 'Detail', body: { ...PROBLEM, status: '422' } },
  { name: 'a problem whose instance is not a URI', component: 'Detail', body: { ...PROBLEM, instance: 'request 5c0f2e4a' } },
];
