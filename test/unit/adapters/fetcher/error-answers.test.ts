import { describe, expect, it } from 'vitest';
import { answerFailure, retryAfterSeconds } from '../../../../functions/adapters/fetcher/error-answers.ts';

const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => ({ status, json, headers: new Headers(headers) });

describe('answerFailure', () => {
  it('maps FET-0402 fields to body locations without relaying Fetcher text', () => {
    const error = answerFailure(
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
    const error = answerFailure(
      answer(400, { code: 'FET-0001', title: 'Bad Request', message: 'secret detail', fields: { [key]: 'Fetcher says something' } }),
    );
    expect(error.code).toBe('MTCH-0005');
    expect(error.errors).toEqual([{ location, message: 'rejected by Fetcher as invalid' }]);
    expect(JSON.stringify(error.errors)).not.toContain('Fetcher says');
  });

  it('maps FET-1002 to MTCH-0206 and FET-0414 to MTCH-0209 at body.host', () => {
    expect(answerFailure(answer(409, { code: 'FET-1002' })).code).toBe('MTCH-0206');
    const host = answerFailure(answer(400, { code: 'FET-0414', title: 'Forbidden Host' }));
    expect(host.code).toBe('MTCH-0209');
    expect(host.errors?.[0]?.location).toBe('body.host');
  });

  it.each([
    [500, { code: 'FET-0002' }],
    [502, undefined],
    [401, 'Missing Token'],
    [403, 'Forbidden'],
    [400, { code: 'FET-0403', title: 'Invalid header' }],
    [400, { code: 'FET-0001', message: 'unable to parse request body' }],
    [409, { code: 'FET-9999' }],
  ])('maps %d %j to 502 MTCH-0207', (status, json) => {
    expect(answerFailure(answer(status, json)).code).toBe('MTCH-0207');
  });

  it('maps 404 FET-1001 (Fetcher no longer holds it) to 404 MTCH-0201', () => {
    expect(answerFailure(answer(404, { code: 'FET-1001', title: 'Entity Not Found' })).code).toBe('MTCH-0201');
  });

  it('maps 409 FET-1021 (extraction jobs running) to 409 MTCH-0211 with a Retry-After', () => {
    const busy = answerFailure(answer(409, { code: 'FET-1021', title: 'Job In Progress' }));
    expect(busy).toMatchObject({ code: 'MTCH-0211', retryAfterSeconds: 30 });
  });

  it.each([429, 503])('maps %d to 503 MTCH-0203 carrying Retry-After on', (status) => {
    const error = answerFailure(answer(status, { code: status }, { 'Retry-After': '12' }));
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
