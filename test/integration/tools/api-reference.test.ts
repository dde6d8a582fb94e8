import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes.ts';
import { startHarness, type HarnessProcess } from '../../support/harness-process.ts';
import { REPO_ROOT } from '../../tools/local-paths.ts';
import { DEMO_CONNECTION } from '../../tools/start-banner.ts';

/** Debian's chromium, driven by playwright-core (no browser download): .ci/run installs it when missing. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = join(REPO_ROOT, 'reports', 'screenshots');
// Every step has its own bound, and the whole test stops by itself.
const STEP_MS = 30_000;

let harness: HarnessProcess;
let profile: string;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  harness = await startHarness();
  // A fresh profile each run: nothing carried over from another run, or from a person's browser.
  profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: STEP_MS,
    viewport: { width: 1280, height: 900 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(STEP_MS);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
}, 60_000);

describe('the API reference page of npm start', () => {
  it('is announced by the banner, with the OpenAPI document beside it', async () => {
    expect(harness.output()).toContain(`API reference: ${harness.url}/docs`);
    const document = await fetch(`${harness.url}/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('lists every route, and creates a connection through "try it out" with the dev token it was given: 201', async () => {
    const loaded = await page.goto(`${harness.url}/docs`);
    expect(loaded?.status()).toBe(200);
    await page.locator('.opblock').first().waitFor();
    const listed = await page.$$eval('.opblock', (blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
        const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method} ${path}`;
      }),
    );
    expect(listed.sort()).toEqual(ROUTES.map((route) => route.routeKey).sort());

    // The page asked the harness for a dev token and authorized with it.
    await page.waitForFunction(() => (globalThis as any).ui?.authSelectors.authorized().toJS().BearerAuth !== undefined);

    const create = page.locator('#operations-Discovery-createDiscoveryConnection');
    await create.locator('.opblock-summary').click();
    const body = create.locator('textarea.body-param__text');
    await body.waitFor();
    const configName = `docs-${randomUUID().slice(0, 8)}`;
    await body.fill(JSON.stringify({ ...DEMO_CONNECTION, configName }, null, 2));
    await create.locator('button.execute').click();
    const status = create.locator('.live-responses-table tbody .response-col_status');
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('201');
    const answer = JSON.parse((await create.locator('.live-responses-table .response-col_description pre').first().textContent()) ?? '{}');
    expect(answer).toMatchObject({ configName, databaseType: 'POSTGRESQL', status: 'AVAILABLE' });

    await mkdir(SCREENSHOTS, { recursive: true });
    // The answer in view: the curl Swagger UI sent, the 201 and its body.
    await create.locator('.live-responses-table').evaluate((table) => table.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(SCREENSHOTS, 'api-reference.png'), fullPage: false });

    // The connection is there for anyone with a token, not only on the page.
    const { token } = (await (await fetch(`${harness.url}/docs/dev-token`)).json()) as { token: string };
    const read = await fetch(`${harness.url}/v1/discovery/connections/${answer.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(answer);
  }, 120_000);

  it('gives a dev token only to its own page: never to a request naming another host, or sent from another site', async () => {
    // fetch() sets Host itself; node:http sends the one given, as a rebound DNS name would.
    const statusOf = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) =>
        request(`${harness.url}/docs/dev-token`, { headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end(),
      );
    expect(await statusOf({ host: 'attacker.example' })).toBe(404);
    expect(await statusOf({ host: `attacker.example:${harness.port}` })).toBe(404);
    expect(await statusOf({ 'sec-fetch-site': 'cross-site' })).toBe(404);
    expect(await statusOf({})).toBe(200);
  });
});
