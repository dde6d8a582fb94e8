import { describe, expect, it } from 'vitest';
import { canonicalDatabaseType, DATABASE_TYPES } from '../../../functions/discovery/database-types.ts';

describe('canonicalDatabaseType', () => {
  it.each([
    ['postgres', 'POSTGRESQL'],
    ['postgresql', 'POSTGRESQL'],
    ['pg', 'POSTGRESQL'],
    ['mysql', 'MYSQL'],
    ['mariadb', 'MYSQL'],
    ['mongo', 'MONGODB'],
    ['mongodb', 'MONGODB'],
    ['mssql', 'SQL_SERVER'],
    ['sqlserver', 'SQL_SERVER'],
    ['sql-server', 'SQL_SERVER'],
    ['sql_server', 'SQL_SERVER'],
    ['oracle', 'ORACLE'],
    ['oracledb', 'ORACLE'],
  ])('maps the alias %s to %s', (alias, canonical) => {
    expect(canonicalDatabaseType(alias)).toBe(canonical);
  });

  it.each(DATABASE_TYPES.flatMap((token) => [token, token.toLowerCase(), ` ${token} `]))(
    'accepts the canonical token in any case and spacing: %j',
    (value) => {
      expect(canonicalDatabaseType(value)).toBe(value.trim().toUpperCase());
    },
  );

  it('accepts aliases in any case', () => {
    expect(canonicalDatabaseType('PoStGrEs')).toBe('POSTGRESQL');
    expect(canonicalDatabaseType('MSSQL')).toBe('SQL_SERVER');
  });

  it.each(['', 'sqlite', 'SQLSERVER2', 'postgre', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])('refuses %j', (value) => {
    expect(canonicalDatabaseType(value)).toBeUndefined();
  });
});
