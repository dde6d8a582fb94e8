/** Fetcher's own database type tokens (its DBType constants), in the order its API documents them. */
export const DATABASE_TYPES = ['POSTGRESQL', 'MYSQL', 'MONGODB', 'SQL_SERVER', 'ORACLE'] as const;

export type DatabaseType = (typeof DATABASE_TYPES)[number];

// A Map, not an object literal, so keys such as "__proto__" or "constructor" cannot match.
const ALIASES = new Map<string, DatabaseType>([
  ['postgresql', 'POSTGRESQL'],
  ['postgres', 'POSTGRESQL'],
  ['pg', 'POSTGRESQL'],
  ['mysql', 'MYSQL'],
  ['mariadb', 'MYSQL'],
  ['mongodb', 'MONGODB'],
  ['mongo', 'MONGODB'],
  ['sql_server', 'SQL_SERVER'],
  ['sqlserver', 'SQL_SERVER'],
  ['sql-server', 'SQL_SERVER'],
  ['mssql', 'SQL_SERVER'],
  ['oracle', 'ORACLE'],
  ['oracledb', 'ORACLE'],
]);

/** The canonical token for a canonical name (any case) or a common alias; undefined when unknown. */
export const canonicalDatabaseType = (value: string): DatabaseType | undefined => ALIASES.get(value.trim().toLowerCase());
