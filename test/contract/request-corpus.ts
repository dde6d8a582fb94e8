/** One request body of the corpus, and the listed difference it shows, if any. */
export interface Case {
  name: string;
  body: unknown;
  /** Valid for the published schema, refused by ours: the name of the listed rule. */
  stricter?: 'configNamePattern' | 'configNameLength' | 'lengths' | 'updateNotEmpty';
  /** Our document and the handler decide differently: the name of the listed handler rule. */
  handlerOnly?: 'trimming' | 'printable' | 'databaseType' | 'hostPolicy';
}

const VALID = {
  configName: 'prod-ledger-db',
  databaseType: 'POSTGRESQL',
  host: 'db.example.com',
  port: 5432,
  databaseName: 'ledger',
  userName: 'matcher_ro',
};
const FIELDS = ['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName', 'password', 'schema'] as const;
const REQUIRED = ['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName'] as const;
const without = (field: string) => Object.fromEntries(Object.entries(VALID).filter(([name]) => name !== field));

/** Values every schema refuses, for each field of both bodies. */
const refusedEverywhere = (field: (typeof FIELDS)[number]): [string, unknown][] => [
  ['null', null],
  ['an object', { value: 1 }],
  ['an array', ['x']],
  ...(field === 'port'
    ? ([
        ['0', 0],
        ['65536', 65_536],
        ['-1', -1],
        ['1.5', 1.5],
        ['a string', '5432'],
        ['a boolean', true],
      ] as [string, unknown][])
    : ([
        ['a number', 42],
        ['a boolean', false],
      ] as [string, unknown][])),
  ...(['configName', 'databaseType', 'host', 'databaseName', 'userName'].includes(field) ? ([['empty', '']] as [string, unknown][]) : []),
];

/** Values valid for the published schema that our rules refuse, per field, with the rule. */
const stricter = (field: string): [string, unknown, NonNullable<Case['stricter']>][] => {
  switch (field) {
    case 'configName':
      return [
        ['2 characters', 'ab', 'configNameLength'],
        ['101 characters', 'a'.repeat(101), 'configNameLength'],
        ['a space', 'prod ledger', 'configNamePattern'],
        ['a dot', 'prod.ledger', 'configNamePattern'],
        ['non-ASCII', 'café-db', 'configNamePattern'],
      ];
    case 'host':
      return [['254 characters', `${'a'.repeat(250)}.com`, 'lengths']];
    case 'databaseName':
    case 'userName':
    case 'schema':
      return [['256 characters', 'x'.repeat(256), 'lengths']];
    case 'password':
      return [['4097 characters', 'p'.repeat(4097), 'lengths']];
    default:
      return [];
  }
};

/** Values both documents accept that the handler refuses (or the other way round), per field, with the rule. */
const handlerOnly = (field: string): [string, unknown, NonNullable<Case['handlerOnly']>][] => {
  switch (field) {
    case 'databaseType':
      return [
        ['unknown engine', 'db2', 'databaseType'],
        ['blank', '   ', 'trimming'],
      ];
    case 'host':
      return [
        ['loopback', '127.0.0.1', 'hostPolicy'],
        ['metadata', '169.254.169.254', 'hostPolicy'],
        ['localhost', 'localhost', 'hostPolicy'],
        ['private', '10.0.0.5', 'hostPolicy'],
        ['blank', '   ', 'trimming'],
      ];
    case 'databaseName':
    case 'userName':
      return [
        ['blank', '   ', 'trimming'],
        ['a NUL', 'led\u0000ger', 'printable'],
      ];
    default:
      return [];
  }
};

const fieldCases = (base: Record<string, unknown>, prefix: string): Case[] =>
  FIELDS.flatMap((field) => [
    ...refusedEverywhere(field).map(([what, value]) => ({ name: `${prefix}${field} ${what}`, body: { ...base, [field]: value } })),
    ...stricter(field).map(([what, value, rule]) => ({
      name: `${prefix}${field} ${what}`,
      body: { ...base, [field]: value },
      stricter: rule,
    })),
    ...handlerOnly(field).map(([what, value, rule]) => ({
      name: `${prefix}${field} ${what}`,
      body: { ...base, [field]: value },
      handlerOnly: rule,
    })),
  ]);

const NOT_OBJECTS: Case[] = [
  { name: 'an array', body: [VALID] },
  { name: 'a string', body: 'configName=prod' },
  { name: 'a number', body: 5432 },
  { name: 'null', body: null },
];

export const CREATE_CASES: Case[] = [
  { name: 'the six required fields', body: VALID },
  { name: 'every field', body: { ...VALID, password: 's3cret', schema: 'public' } },
  { name: 'an alias for databaseType', body: { ...VALID, databaseType: 'postgres' } },
  { name: 'another alias, in capitals', body: { ...VALID, databaseType: 'MariaDB' } },
  { name: 'the lowest and highest ports', body: { ...VALID, port: 1 } },
  { name: 'the highest port', body: { ...VALID, port: 65_535 } },
  { name: 'a 3-character configName', body: { ...VALID, configName: 'abc' } },
  { name: 'a 100-character configName', body: { ...VALID, configName: 'a'.repeat(100) } },
  { name: 'an empty schema (unset)', body: { ...VALID, schema: '' } },
  { name: 'an empty password', body: { ...VALID, password: '' } },
  { name: 'a password with spaces around it (never trimmed)', body: { ...VALID, password: '  s3cret  ' } },
  { name: 'a public IPv4 host', body: { ...VALID, host: '8.8.8.8' } },
  {
    name: 'a padded configName (trimmed by the handler)',
    body: { ...VALID, configName: ' prod-ledger-db ' },
    stricter: 'configNamePattern',
    handlerOnly: 'trimming',
  },
  ...REQUIRED.map((field) => ({ name: `without ${field}`, body: without(field) })),
  { name: 'an empty object', body: {} },
  { name: 'an unknown property', body: { ...VALID, ssl: { mode: 'require' } } },
  { name: 'a property in another case', body: { ...without('userName'), username: 'matcher_ro' } },
  ...fieldCases(VALID, ''),
  ...NOT_OBJECTS,
];

export const UPDATE_CASES: Case[] = [
  { name: 'one field', body: { port: 5433 } },
  { name: 'a new host', body: { host: 'db2.example.com' } },
  { name: 'a new password only', body: { password: 'rotated' } },
  { name: 'an alias for databaseType', body: { databaseType: 'mssql' } },
  { name: 'every field', body: { ...VALID, password: 's3cret', schema: 'public' } },
  { name: 'an empty object', body: {}, stricter: 'updateNotEmpty' },
  { name: 'an unknown property', body: { port: 5433, ssl: { mode: 'require' } } },
  ...fieldCases({}, 'only '),
  ...NOT_OBJECTS,
];
