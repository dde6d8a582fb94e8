import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '10000' });
});
afterAll(() => service.stop());

const count = <T>(values: T[], value: T) => values.filter((v) => v === value).length;

describe('races', () => {
  it('20 concurrent creates with one configName: exactly one 201, the rest 409, one cache item, no 5xx', async () => {
    const body = validBody();
    const answers = await Promise.all(Array.from({ length: 20 }, () => service.invoke({ body })));
    const statuses = answers.map((a) => a.status);
    expect(count(statuses, 201)).toBe(1);
    expect(count(statuses, 409)).toBe(19);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'MTCH-0206')).toBe(true);
    const items = (await service.cacheItems()).filter((i) => i.configName === body.configName && String(i.sk).split('#').length === 2);
    expect(items).toHaveLength(1);
  });

  it('100 concurrent distinct creates: 100 connections in Fetcher and 100 items in the cache', async () => {
    const bodies = Array.from({ length: 100 }, () => validBody());
    const answers = await Promise.all(bodies.map((body) => service.invoke({ body })));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(201));
    const names = new Set(bodies.map((b) => b.configName));
    expect(service.fetcher.connections().filter((c) => names.has(c.configName))).toHaveLength(100);
    const cached = (await service.cacheItems()).filter((i) => names.has(String(i.configName)) && String(i.sk).split('#').length === 2);
    expect(cached).toHaveLength(100);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(100);
  });

  it('a replay storm with one Idempotency-Key: one Fetcher call', async () => {
    const key = randomUUID();
    const body = validBody();
    const before = service.fetcher.requests.filter((r) => r.route === 'create').length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => service.invoke({ body, headers: { 'idempotency-key': key } })));
    expect(service.fetcher.requests.filter((r) => r.route === 'create').length - before).toBe(1);
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'MTCH-0018')).toBe(true);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    // Once it is done, every further replay is a 201 with the same body.
    const late = await service.invoke({ body, headers: { 'idempotency-key': key } });
    expect(late.status).toBe(201);
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect(late.body.id).toBe(created[0]!.body.id);
  });
});
