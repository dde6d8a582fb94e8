import { describe, expect, it } from 'vitest';
import { listFetcherConnections, PAGE_SIZE } from '../../../functions/discovery/fetcher-listing.ts';
import { testCall } from '../../support/call.ts';
import { fetcherConnection, inMemoryFetcher } from './in-memory-fetcher.ts';

const NOW = new Date('2026-11-30T15:00:00Z');
const options = (since: Date) => ({ productName: 'matcher', since, now: NOW, windowDays: 28 });
const monthsAgo = (months: number) => new Date(NOW.getTime() - months * 30.44 * 86_400_000);

describe('listFetcherConnections', () => {
  it('walks windows back far enough to find a connection created 14 months ago', async () => {
    const old = fetcherConnection(NOW, 14 * 30.44);
    const fetcher = inMemoryFetcher([old, fetcherConnection(NOW, 0)]);
    const listing = await listFetcherConnections(fetcher, options(monthsAgo(24)), testCall());
    expect(listing.complete).toBe(true);
    expect(listing.connections.has(old.fetcherConnectionId)).toBe(true);
    expect(listing.connections.size).toBe(2);
  });

  it('ends its first window at tomorrow midnight, so a connection created today is listed', async () => {
    const fetcher = inMemoryFetcher([fetcherConnection(NOW, 0)]);
    await listFetcherConnections(fetcher, options(monthsAgo(1)), testCall());
    expect(fetcher.listCalls[0]).toMatchObject({ endDate: '2026-12-01', startDate: '2026-11-03', page: 1, limit: PAGE_SIZE });
  });

  it('overlaps windows by a day and counts each connection once', async () => {
    // Created on the first window's start day, after midnight: only the second window's end covers it.
    const edge = fetcherConnection(NOW, 0, { createdAt: new Date('2026-11-03T10:00:00Z') });
    const fetcher = inMemoryFetcher([edge]);
    const listing = await listFetcherConnections(fetcher, options(monthsAgo(2)), testCall());
    expect(fetcher.listCalls[1]).toMatchObject({ endDate: '2026-11-04', startDate: '2026-10-07' });
    expect([...listing.connections.keys()]).toEqual([edge.fetcherConnectionId]);
  });

  it('pages by 100 until a short page, and stops once past `since`', async () => {
    const many = Array.from({ length: 250 }, () => fetcherConnection(NOW, 1));
    const fetcher = inMemoryFetcher(many);
    const listing = await listFetcherConnections(fetcher, options(new Date(NOW.getTime() - 10 * 86_400_000)), testCall());
    expect(fetcher.listCalls.map((call) => call.page)).toEqual([1, 2, 3]);
    expect(listing).toMatchObject({ complete: true, windows: 1 });
    expect(listing.connections.size).toBe(250);
  });

  it('keeps only the product’s connections, whatever case Fetcher stores', async () => {
    const ours = fetcherConnection(NOW, 2, { productName: 'matcher' });
    const theirs = fetcherConnection(NOW, 2, { productName: 'midaz' });
    const internal = fetcherConnection(NOW, 2, { productName: undefined });
    const listing = await listFetcherConnections(
      inMemoryFetcher([ours, theirs, internal]),
      { ...options(monthsAgo(1)), productName: 'Matcher' },
      testCall(),
    );
    expect([...listing.connections.keys()]).toEqual([ours.fetcherConnectionId]);
  });

  it('says it is incomplete, and keeps what it found, when a call fails part way', async () => {
    const recent = fetcherConnection(NOW, 1);
    const fetcher = inMemoryFetcher([recent, fetcherConnection(NOW, 100)]);
    fetcher.failListingFrom = 2;
    const listing = await listFetcherConnections(fetcher, options(monthsAgo(24)), testCall());
    expect(listing.complete).toBe(false);
    expect(listing.error).toMatchObject({ code: 'MTCH-0203' });
    expect([...listing.connections.keys()]).toEqual([recent.fetcherConnectionId]);
  });

  it('makes at most one call per window plus one per 100 connections', async () => {
    const spread = Array.from({ length: 1_000 }, (_, i) => fetcherConnection(NOW, (i * 900) / 1_000));
    const fetcher = inMemoryFetcher(spread);
    const listing = await listFetcherConnections(fetcher, options(monthsAgo(30)), testCall());
    expect(listing.connections.size).toBe(1_000);
    expect(fetcher.listCalls.length).toBeLessThanOrEqual(Math.ceil(1_000 / 100) + listing.windows + 2);
  });
});
