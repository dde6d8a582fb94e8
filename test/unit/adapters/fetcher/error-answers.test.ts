import { describe, expect, it } from 'vitest';
import { createFailure, retryAfterSeconds } from '../../../../functions/adapters/fetcher/error-answers.ts';

const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => ({ status, json, headers: new Headers(headers) });

describe('createFailure', () => {
  it('maps FET-0402 fields to body locations without relaying Fetcher text', () => {
    const error = createFailure(
      answer(400, {
        code: 'FET-0402',
        title: 'Missing Fields in Request',
        message: 'x',
        fields: { password: 'password is a required field' },
      }),
    );
    expect(error.code).toBe('MTCH-0005');
    expect(error.errors).toEqual([{ location: 'body.password', message: 'expected required property password to be present' }]);
  });

  it.each([
    ['config_name', 'body.configName'],
    ['configName', 'body.configName'],
    ['type', 'body.databaseType'],
    ['host', 'body.host'],
    ['port', 'body.port'],
    ['databaseName', 'body.databaseName'],
    ['userName', 'body.userName'],
    ['ssl.ca', 'body'],
  ])('maps Fetcher field %s to %s', (key, location) => {
    const error = createFailure(
      answer(400, { code: 'FET-0001', title: 'Bad Request', message: 'secret detail', fields: { [key]: 'Fetcher says something' } }),
    );
    expect(error.code).toBe('MTCH-0005');
    expect(error.errors).toEqual([{ location, message: 'rejected by Fetcher as invalid' }]);
    expect(JSON.stringify(error.errors)).not.toContain('Fetcher says');
  });

  it('maps FET-1002 to MTCH-0206 and FET-0414 to MTCH-0209 at body.host', () => {
    expect(createFailure(answer(409, { code: 'FET-1002' })).code).toBe('MTCH-0206');
    const host = createFailure(answer(400, { code: 'FET-0414', title: 'Forbidden Host' }));
    expect(host.code).toBe('MTCH-0209');
    expect(host.errors?.[0]?.location).toBe('body.host');
  });

  it.each([
    [500, { code: 'FET-0002' }],
    [502, undefined],
    [401, 'Missing Token'],
    [403, 'Forbidden'],
    [404, { code: 'FET-1001' }],
    [400, { code: 'FET-0403', title: 'Invalid header' }],
    [400, { code: 'FET-0001', message: 'unable to parse request body' }],
    [409, { code: 'FET-1021' }],
  ])('maps %d %j to 502 MTCH-0207', (status, json) => {
    expect(createFailure(answer(status, json)).code).toBe('MTCH-0207');
  });

  it.each([429, 503])('maps %d to 503 MTCH-0203 carrying Retry-After on', (status) => {
    const error = createFailure(answer(status, { code: status }, { 'Retry-After': '12' }));
    expect(error.code).toBe('MTCH-0203');
    expect(error.retryAfterSeconds).toBe(12);
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [null, 5],
    ['0', 1],
    ['30', 30],
    ['999999', 3600],
    ['soon', 5],
    ['Thu, 01 Jan 2026 00:00:20 GMT', 20],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 1],
  ])('reads %j as %d seconds', (header, seconds) => {
    expect(retryAfterSeconds(header, now)).toBe(seconds);
  });
});
