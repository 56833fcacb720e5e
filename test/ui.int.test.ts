import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashKey } from '../src/runtime/http/auth.js';
import { chitChat, curriculumPrompts } from './fixtures/curriculum.js';
import { serviceUnderTest } from './helpers/service.js';

/*
 * The analyst workspace end to end, in a real headless Chromium (Debian's, driven by
 * playwright-core): the page built from src/ui as it is now, the service with keys, traffic with a
 * campaign and a hostile prompt. Each view is opened as an analyst would and saved as a screenshot
 * under test-results/.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
// CI installs Chromium (.ci/run): there a missing browser is a failure, not a skip.
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
if (!haveChromium) console.warn(`[ui.int.test] skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const KEYS = { analyst: 'k-ui-analyst', pipeline: 'k-ui-pipeline' };
const API_KEYS = JSON.stringify([
  { name: 'ana', sha256: hashKey(KEYS.analyst), scopes: ['analyst'] },
  { name: 'pipeline', sha256: hashKey(KEYS.pipeline), scopes: ['ingest'] },
]);
const uiDir = await mkdtemp(path.join(tmpdir(), 'dr-ui-'));
const SHOTS = path.resolve('test-results');
// The page as src/ui holds it now, built before the service starts serving it.
// Vitest sets NODE_ENV=test, which would bundle React's development build: build what ships.
if (haveChromium) {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.resolve('src/ui/vite.config.ts'), build: { outDir: uiDir, emptyOutDir: true }, logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> how long do I bake sourdough bread?';

const { service } = await serviceUnderTest('ui', {
  AUTH: 'keys',
  API_KEYS,
  RATE_LIMIT_RPS: '0',
  UI_DIR: uiDir,
  SCORE_INTERVAL_MS: '200',
  CAMPAIGN_INTERVAL_MS: '300',
});

const t0 = Date.UTC(2026, 4, 1);
const wrap = (x: string) => `You are completing a dataset task for our evaluation team.\n${x}\nReturn the complete answer and explain every step you take.`;
const fleetIds = Array.from({ length: 30 }, (_, a) => `fleet-${a}`);

async function api(url: string, init: RequestInit & { key?: string } = {}) {
  const res = await fetch(`${service().url}${url}`, { ...init, headers: { authorization: `Bearer ${init.key ?? KEYS.analyst}`, 'content-type': 'application/json' } });
  return (await res.json()) as Record<string, any>;
}

describe.skipIf(!haveChromium)('analyst workspace in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    const curriculum = curriculumPrompts(180);
    const fleet = fleetIds.flatMap((id, a) => curriculum.slice(a * 6, a * 6 + 6).map((x, i) => ({ accountId: id, promptId: `${id}-${i}`, ts: t0 + a * 3_600_000 + i * 60_000, text: wrap(x) })));
    const organic = Array.from({ length: 60 }, (_, a) => [0, 1].map((i) => ({ accountId: `user-${a}`, promptId: `user-${a}-${i}`, ts: t0 + a * 1_800_000 + i * 600_000, text: chitChat[(a + i) % chitChat.length]! }))).flat();
    organic.push({ accountId: 'user-0', promptId: 'user-0-hostile', ts: t0 + 900_000, text: HOSTILE });
    for (const samples of [fleet, organic]) expect(await api('/v1/samples', { method: 'POST', key: KEYS.pipeline, body: JSON.stringify({ samples }) })).toMatchObject({ accepted: samples.length });
    // The workspace shows what the service has: wait until the campaign holds every member and every prompt is searchable.
    await vi.waitFor(async () => expect((await api('/v1/campaigns')).campaigns).toEqual([expect.objectContaining({ size: 30 })]), { timeout: 30_000, interval: 200 });
    campaignId = (await api('/v1/campaigns')).campaigns[0].clusterId;
    await vi.waitFor(async () => expect((await api('/v1/events?limit=1000')).events).toContainEqual(expect.objectContaining({ type: 'campaign.tier_raised' })), { timeout: 30_000, interval: 200 });
    await vi.waitFor(async () => expect((await api('/v1/search?text=sourdough&mode=lexical&k=1')).hits).toHaveLength(1), { timeout: 30_000, interval: 200 });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await rm(uiDir, { recursive: true, force: true });
  });

  /** Opens a view and waits until the app has rendered; a script error fails here, with its message. */
  async function open(hash: string) {
    await page.goto(`${service().url}/ui/${hash}`);
    await page.locator('#root main').waitFor();
    expect(pageErrors).toEqual([]);
  }
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `ui-${name}.png`), fullPage: true });

  it('asks for the key once, keeps it for the session, and shows flagged campaigns and accounts', async () => {
    await open('#/');
    await page.getByRole('alert').filter({ hasText: 'a valid API key is required' }).first().waitFor();
    await page.getByLabel('API key').fill(KEYS.analyst);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.locator(`a[href="#/campaign/${campaignId}"]`).first().waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('distill-radar.key'))).toBe(KEYS.analyst);
    await page.locator('.events li', { hasText: 'campaign.tier_raised' }).first().waitFor();
    await shot('overview');
  });

  it("draws the campaign's members on its graph, linked by their shared template", async () => {
    await page.locator(`a[href="#/campaign/${campaignId}"]`).first().click();
    const graph = page.getByRole('img', { name: 'campaign graph' });
    await graph.locator('a[data-account]').nth(29).waitFor();
    const drawn = await graph.locator('a[data-account]').evaluateAll((as) => as.map((a) => a.getAttribute('data-account')));
    expect(drawn.sort()).toEqual([...fleetIds].sort());
    expect(await graph.locator('line').count()).toBeGreaterThanOrEqual(29);
    await page.getByRole('cell', { name: /dataset task for our evaluation team/ }).first().waitFor();
    await shot('campaign');
  });

  it('maps the prompt clusters and drills into one: its label and the accounts sending it', async () => {
    const [top] = (await api('/v1/clusters?limit=1')).clusters;
    await open('#/clusters');
    const point = page.locator(`svg[aria-label="cluster map"] a[data-cluster="${top.id}"]`);
    await point.waitFor();
    await shot('clusters');
    await point.click();
    await page.getByRole('heading', { name: `Cluster “${top.label}”` }).waitFor();
    const shown = await page.locator('section:has(h2:text("Accounts sending it")) a').allTextContents();
    expect(shown.length).toBe(top.accounts > 50 ? 50 : top.accounts);
    expect(shown.every((a) => /^(fleet|user)-\d+$/.test(a))).toBe(true);
    await shot('cluster');
  });

  it('shows a hostile prompt as text: its markup is never run or rendered', async () => {
    await open('#/search?text=sourdough%20bread');
    const cell = page.getByRole('cell', { name: 'how long do I bake sourdough bread?' }).first();
    await cell.waitFor();
    expect(await cell.textContent()).toBe(HOSTILE);
    await open('#/account/user-0');
    await page.locator('td.prompt-text', { hasText: '<script>window.__pwned = 1</script>' }).waitFor();
    await page.locator('svg[aria-label="coverage heatmap"]').waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    await shot('account-hostile-prompt');
  });

  it('records a verdict on an account, shows it there and lists it with who recorded it', async () => {
    await open('#/account/fleet-3');
    await page.getByText('No verdict yet.').waitFor();
    await shot('account');
    const form = page.getByRole('form', { name: 'verdict on account' });
    await form.getByLabel('malicious').check();
    await form.locator('textarea').fill('shares the <b>dataset task</b> wrapper');
    await form.getByRole('button', { name: 'Record verdict' }).click();
    await page.getByRole('status').filter({ hasText: 'Recorded malicious for 1 account(s) by ana.' }).waitFor();
    await page.locator('p.verdict', { hasText: 'malicious by ana' }).waitFor();

    await page.getByRole('link', { name: 'Verdicts' }).click();
    const row = page.locator('table.verdicts tbody tr', { hasText: 'account fleet-3' });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([expect.any(String), 'account fleet-3', 'malicious', 'ana', '1', 'shares the <b>dataset task</b> wrapper']);
    await shot('verdicts');
    expect(pageErrors).toEqual([]);
  });
});
