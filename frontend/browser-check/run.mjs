/*
 * Real-browser check of the editors: bundles browser-check/harness.tsx (real @grafana/ui and Monaco, offline),
 * serves it on 127.0.0.1, drives it with Debian's Chromium through playwright-core, saves screenshots and writes a
 * JUnit report with one test case per check. Exits non-zero when any check fails or Chromium is missing.
 *
 *   node browser-check/run.mjs            build the harness, run the checks
 *   node browser-check/run.mjs --no-build reuse target/browser-check (after a build in the same tree)
 *   node browser-check/run.mjs --update-docs  also copy the screenshots to src/img, where the plugin ships them
 *                                            (plugin.json info.screenshots, the README's pictures); without it a
 *                                            test run leaves the source tree as it was
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FRONTEND = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HARNESS = path.join(FRONTEND, 'target', 'browser-check');
const SCREENSHOTS = path.join(FRONTEND, 'target', 'screenshots');
const REPORTS = path.join(FRONTEND, 'target', 'failsafe-reports');
const SHIPPED_IMG = path.join(FRONTEND, 'src', 'img');
const UPDATE_DOCS = process.argv.includes('--update-docs');

/** With --update-docs, the screenshot becomes the plugin's picture of the same name (src/img). */
function publish(file) {
  if (UPDATE_DOCS) {
    fs.copyFileSync(file, path.join(SHIPPED_IMG, path.basename(file)));
  }
}
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Hides what blinks or fades (cursor, scrollbars), so the committed pictures change only when the editors do. */
const STEADY = '.monaco-editor .cursor, .monaco-scrollable-element > .scrollbar { visibility: hidden !important; }';

/**
 * Bound of every wait for a condition in the page. Each step waits for what it checks (an element, a text, a value
 * Monaco fills in later); this only ends a hang, so it is generous: a loaded 2-core machine renders slowly.
 */
const WAIT = 60000;

const results = [];

function xmlEscape(s) {
  return String(s).replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]
  );
}

function writeReport() {
  fs.mkdirSync(REPORTS, { recursive: true });
  const failures = results.filter((r) => r.error).length;
  const total = results.reduce((t, r) => t + r.seconds, 0);
  const cases = results
    .map((r) => {
      const head = `  <testcase classname="frontend.browser-check" name="${xmlEscape(r.name)}" time="${r.seconds.toFixed(3)}"`;
      if (!r.error) {
        return `${head}/>`;
      }
      const message = r.error.message ?? String(r.error);
      return `${head}>\n    <failure message="${xmlEscape(message.split('\n')[0])}" type="${xmlEscape(r.error.name ?? 'Error')}">${xmlEscape(r.error.stack ?? message)}</failure>\n  </testcase>`;
    })
    .join('\n');
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuite name="frontend.browser-check" tests="${results.length}" failures="${failures}" errors="0" skipped="0" time="${total.toFixed(3)}" timestamp="${new Date().toISOString()}">\n` +
    `${cases}\n</testsuite>\n`;
  fs.writeFileSync(path.join(REPORTS, 'TEST-browser-check.xml'), xml);
}

async function check(name, fn) {
  const start = Date.now();
  try {
    await fn();
    results.push({ name, seconds: (Date.now() - start) / 1000 });
    console.log(`  ok    ${name}`);
  } catch (error) {
    results.push({ name, seconds: (Date.now() - start) / 1000, error });
    console.log(
      `  FAIL  ${name}\n        ${String(error?.message ?? error)
        .split('\n')
        .join('\n        ')}`
    );
  }
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function finish() {
  writeReport();
  const failed = results.filter((r) => r.error).length;
  console.log(`browser-check: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/** Static files of the built harness, on a random local port. */
function serve(dir) {
  // react-inlinesvg draws an icon only when the answer says image/svg+xml
  const types = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.ttf': 'font/ttf',
    '.woff2': 'font/woff2',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
  };
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  console.log('browser check: editors in headless Chromium');

  // Chromium must be there: a silently skipped check would look like a pass.
  const chromiumThere = fs.existsSync(CHROMIUM);
  await check('chromium is installed', async () => {
    expect(
      chromiumThere,
      `Chromium not found at ${CHROMIUM}. Install Debian's build as root: apt-get update && apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH). Never "npx playwright install": it downloads a browser.'
    );
  });
  if (!chromiumThere) {
    finish();
  }

  if (!process.argv.includes('--no-build')) {
    const built = await (async () => {
      let ok = false;
      await check('harness bundles (real @grafana/ui and Monaco, offline)', async () => {
        const webpack = path.join(FRONTEND, 'node_modules', '.bin', 'webpack');
        const run = spawnSync(webpack, ['-c', path.join('browser-check', 'webpack.config.ts')], {
          cwd: FRONTEND,
          stdio: ['ignore', 'pipe', 'pipe'],
          encoding: 'utf8',
        });
        expect(run.status === 0, `webpack failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
        ok = true;
      });
      return ok;
    })();
    if (!built) {
      finish();
    }
  }
  expect(fs.existsSync(path.join(HARNESS, 'harness.js')), `no harness in ${HARNESS}; run without --no-build`);

  const { chromium } = await import('playwright-core');
  const server = await serve(HARNESS);
  const url = `http://127.0.0.1:${server.address().port}/index.html`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  const missing = [];
  page.on('response', (r) => {
    if (r.status() >= 400) {
      missing.push(`${r.status()} ${r.url()}`);
    }
  });
  const outside = [];
  // the page must work without the internet: any request off 127.0.0.1 is a defect
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:' && u.protocol !== 'blob:') {
      outside.push(u.href);
      return route.abort();
    }
    return route.continue();
  });
  // the switch's own label (the field label points at the same input)
  const skipVerifySwitch = (p) => p.locator('label[for="cql-tls-skip-verify"]').last();
  const published = () => page.evaluate(() => JSON.parse(JSON.stringify(window.__cql)));

  try {
    await page.goto(url);

    await check(
      'settings page: description, Connection and Authentication open, TLS and Additional settings collapsible',
      async () => {
        const card = page.locator('#config-card');
        await card.getByText('Contact points', { exact: true }).waitFor({ timeout: WAIT });
        for (const section of ['Connection', 'Authentication', 'TLS', 'Additional settings']) {
          expect(
            (await card.getByRole('heading', { name: section, exact: true }).count()) === 1,
            `section ${section} missing`
          );
        }
        expect(
          await card.getByText('Before you can use the', { exact: false }).isVisible(),
          'no data source description'
        );
        expect((await page.locator('#cql-password').inputValue()) === 'configured', 'password not shown as configured');
        expect((await card.getByRole('button', { name: 'Reset' }).count()) === 3, 'expected 3 Reset buttons');
        // collapsed until opened; the consistency is inside
        expect((await page.locator('#cql-consistency').count()) === 0, 'Additional settings open from the start');
        await card.getByRole('button', { name: 'Expand section Additional settings' }).click();
        await page.getByText('LOCAL_QUORUM').waitFor({ timeout: WAIT });
        expect(await page.locator('#cql-connect-timeout').isVisible(), 'timeouts not in Additional settings');
        // the same width for every input (Grafana's settings pages line them up)
        const widths = await page.evaluate(
          (ids) => ids.map((id) => document.getElementById(id)?.parentElement?.getBoundingClientRect().width),
          [
            'cql-contact-points',
            'cql-port',
            'cql-keyspace',
            'cql-local-dc',
            'cql-tls-server-name',
            'cql-connect-timeout',
            'cql-page-size',
          ]
        );
        expect(new Set(widths).size === 1 && widths[0] > 200, `inputs of different widths: ${JSON.stringify(widths)}`);
        await card.getByRole('button', { name: 'Collapse section Additional settings' }).click();
        await page.locator('#cql-consistency').waitFor({ state: 'detached', timeout: WAIT });
      }
    );

    await check(
      "Grafana's icons and fonts are served: Switch knobs, Select chevrons and info icons are drawn",
      async () => {
        const card = page.locator('#config-card');
        // react-inlinesvg puts the fetched icon's paths into the svg; an icon that failed to load stays empty
        await page.waitForFunction(
          () => {
            const svgs = Array.from(document.querySelectorAll('#config-card svg, #query-card svg'));
            return svgs.length > 0 && svgs.every((s) => s.querySelector('path, circle, rect, polygon'));
          },
          null,
          { timeout: WAIT }
        );
        expect((await card.locator('svg').count()) > 0, 'no icons on the settings page');
        const fonts = await page.evaluate(async () => {
          await document.fonts.ready;
          return { inter: document.fonts.check('14px Inter'), mono: document.fonts.check('14px "Roboto Mono"') };
        });
        expect(fonts.inter && fonts.mono, `fonts not loaded: ${JSON.stringify(fonts)}`);
        const notFound = missing.filter((m) => /icons|fonts/.test(m));
        expect(notFound.length === 0, `not served: ${notFound.join(', ')}`);
      }
    );

    await check('typing an invalid port shows the message next to the field, a valid one clears it', async () => {
      const port = page.locator('#cql-port');
      await port.fill('70000');
      const message = page.getByText('Port must be a whole number from 1 to 65535');
      await message.waitFor({ timeout: WAIT });
      expect((await published()).options.jsonData.port === 70000, 'port not passed to onOptionsChange');
      await port.fill('');
      await port.pressSequentially('19042');
      await message.waitFor({ state: 'detached', timeout: WAIT });
      expect((await published()).options.jsonData.port === 19042, 'port 19042 not stored');
    });

    await check('skipping certificate verification shows a warning', async () => {
      await skipVerifySwitch(page).click();
      await page.getByText('Certificate verification is off').waitFor({ timeout: WAIT });
      expect((await published()).options.jsonData.tlsSkipVerify === true, 'tlsSkipVerify not set');
    });

    await check('query editor mounts the real Monaco editor with the CQL text', async () => {
      const monaco = page.locator('#query-card .monaco-editor[role="code"]');
      await monaco.waitFor({ timeout: 60000 });
      await page.locator('#query-card .view-lines').getByText('$__timeFilter(ts)').waitFor({ timeout: WAIT });
      // Monaco renders spaces as no-break spaces
      const text = (await page.locator('#query-card .view-lines').innerText()).replace(/\u00a0/g, ' ');
      expect(text.includes('SELECT host, ts, usage FROM cpu'), `CQL not visible, got: ${text}`);
    });

    await check('SQL highlighting colours keywords differently from names', async () => {
      // Monaco renders each line as spans of tokens; read their text, class and colour
      const tokens = await page.locator('#query-card .view-lines').evaluate((el) =>
        Array.from(el.querySelectorAll('.view-line span > span')).map((s) => ({
          text: (s.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
          cls: s.className,
          color: getComputedStyle(s).color,
        }))
      );
      const select = tokens.find((t) => t.text === 'SELECT');
      const from = tokens.find((t) => t.text === 'FROM');
      const name = tokens.find((t) => t.text === 'cpu' || t.text.endsWith(' cpu'));
      expect(select && from && name, `tokens not found: ${JSON.stringify(tokens.slice(0, 12))}`);
      expect(/mtk\d+/.test(select.cls), `no Monaco token class on SELECT: ${select.cls}`);
      expect(select.color === from.color, `keywords SELECT (${select.color}) and FROM (${from.color}) differ`);
      expect(select.color !== name.color, `SELECT (${select.color}) coloured like the table name (${name.color})`);
    });

    await check('completion offers the columns of the table in FROM with their CQL types', async () => {
      // cursor after "SELECT host, ts, usage" is on line 1; put it at the end of the last line and ask
      await page.locator('#query-card .view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('AND u');
      await page.keyboard.press('Control+Space');
      const widget = page.locator('.suggest-widget');
      await widget.getByText('usage', { exact: true }).first().waitFor({ timeout: WAIT });
      // the focused row shows the detail (the CQL type) once Monaco has resolved it
      const focused = widget.locator('.monaco-list-row.focused');
      try {
        await focused.filter({ hasText: 'double' }).waitFor({ timeout: WAIT });
      } catch {
        throw new Error(`focused suggestion lacks its type: ${await focused.innerText()}`);
      }
      expect((await focused.innerText()).includes('usage'), 'usage is not the focused suggestion');
    });

    await check('completion offers the macros after $', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.type('sage > 0');
      await page.keyboard.press('Escape');
      const typed = ' AND $__ti';
      await page.keyboard.type(typed);
      await page.keyboard.press('Control+Space');
      const widget = page.locator('.suggest-widget');
      await widget.getByText('$__timeBuckets(day)').first().waitFor({ timeout: WAIT });
      expect((await widget.getByText('$__timeFilter(column)').count()) > 0, '$__timeFilter missing');
      await page.keyboard.press('Escape');
      for (let i = 0; i < typed.length; i++) {
        await page.keyboard.press('Backspace');
      }
    });

    await check('Shift+Enter runs the query with the text in the editor', async () => {
      const before = (await published()).runs;
      await page.keyboard.press('Shift+Enter');
      await page.waitForFunction((n) => window.__cql.runs > n, before, { timeout: WAIT });
      const q = (await published()).query;
      expect(q.cql.includes('AND usage > 0'), `query not updated from the editor: ${q.cql}`);
    });

    await check(
      "Shift+Enter belongs to the editor that has the focus: the variable editor's commits the variable",
      async () => {
        const before = await published();
        await page.locator('#variable-card .view-lines').click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type(' LIMIT 10');
        await page.keyboard.press('Shift+Enter');
        await page.waitForFunction(() => window.__cql.variableQuery.cql.endsWith('LIMIT 10'), null, { timeout: WAIT });
        const after = await published();
        expect(after.runs === before.runs, `the panel query ran (${before.runs} → ${after.runs})`);
        expect(after.query.cql === before.query.cql, 'the panel query changed');
      }
    );

    await check('the Options row opens and typing in the alias field updates the query', async () => {
      await page.locator('#query-card').getByText('Options', { exact: true }).click();
      const alias = page.locator('#cql-alias');
      await alias.waitFor({ timeout: WAIT });
      await alias.fill('');
      await alias.pressSequentially('{{host}} cpu');
      expect((await published()).query.alias === '{{host}} cpu', 'alias not passed to onChange');
    });

    await check('query preview shows variables quoted for CQL and macros kept', async () => {
      await page.locator('#query-card').getByText('Preview', { exact: true }).click();
      const preview = page.getByTestId('cql-preview');
      await preview.waitFor({ timeout: WAIT });
      const text = await preview.innerText();
      expect(text.includes("host IN ('web-1','o''brien')"), `variables not quoted: ${text}`);
      expect(text.includes('$__timeFilter(ts)') && text.includes('$__timeBuckets(day)'), `macros not kept: ${text}`);
    });

    await check(
      'screenshots of the settings page, the variable editor and the code editor with completion',
      async () => {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        // put the port back to a valid value and turn the warning off for a clean picture
        await page.locator('#cql-port').fill('');
        await skipVerifySwitch(page).click();
        await page.getByText('Certificate verification is off').waitFor({ state: 'detached', timeout: WAIT });
        const config = path.join(SCREENSHOTS, 'config-editor.png');
        await page.locator('#config-card').screenshot({ path: config, animations: 'disabled', style: STEADY });
        const variable = path.join(SCREENSHOTS, 'variable-editor.png');
        await page.locator('#variable-card .view-lines').getByText('$__timeBuckets(day)').waitFor({ timeout: WAIT });
        await page.locator('#variable-card').screenshot({ path: variable, animations: 'disabled', style: STEADY });

        // open the completion list after "SELECT host, ts, usage, " so the picture shows the columns and types
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.locator('#query-card .view-lines').click();
        await page.keyboard.press('Control+Home');
        await page.keyboard.press('End');
        for (let i = 0; i < ' FROM cpu'.length; i++) {
          await page.keyboard.press('ArrowLeft');
        }
        await page.keyboard.type(', ');
        await page.keyboard.press('Control+Space');
        await page.locator('.suggest-widget').getByText('tags', { exact: true }).first().waitFor({ timeout: WAIT });
        const box = await page.locator('#query-card').boundingBox();
        const query = path.join(SCREENSHOTS, 'query-editor.png');
        await page.screenshot({
          path: query,
          clip: { x: box.x, y: box.y, width: box.width, height: box.height },
          animations: 'disabled',
          style: STEADY,
        });
        await page.keyboard.press('Escape');
        await page.keyboard.press('Backspace');
        await page.keyboard.press('Backspace');

        for (const file of [config, variable, query]) {
          expect(fs.statSync(file).size > 10000, `${file} is suspiciously small`);
          publish(file);
        }
      }
    );

    // the builder: pick in the real @grafana/ui selects, read the CQL the query receives
    const card = page.locator('#query-card');
    /** Opens the select with this input id (or locator) and picks the option with exactly this text. */
    const pick = async (select, option) => {
      await (typeof select === 'string' ? page.locator(`#${select}`) : select).click();
      const menu = page.getByLabel('Select options menu');
      await menu.getByText(option, { exact: true }).first().click();
      await menu.waitFor({ state: 'detached', timeout: WAIT });
    };
    const builderCql = () => card.getByTestId('cql-builder-cql').innerText();

    await check(
      'switching hand-written CQL to the builder asks first, then starts from the table in FROM',
      async () => {
        await page.evaluate(() => window.scrollTo(0, 0));
        await card.getByRole('radio', { name: 'Builder' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByText('edited by hand', { exact: false }).waitFor({ timeout: WAIT });
        await dialog.getByRole('button', { name: 'Use the builder' }).click();
        await dialog.waitFor({ state: 'detached', timeout: WAIT });
        await card.getByTestId('cql-query-builder').waitFor({ timeout: WAIT });
        const q = (await published()).query;
        expect(q.editorMode === 'builder', `editorMode is ${q.editorMode}`);
        expect(q.builder?.table === 'cpu', `builder did not start from table cpu: ${JSON.stringify(q.builder)}`);
        expect(q.cql === 'SELECT *\nFROM cpu', `cql not generated: ${JSON.stringify(q.cql)}`);
        expect((await card.locator('.monaco-editor').count()) === 0, 'the code editor is still shown');
      }
    );

    await check('the builder names the missing partition key columns', async () => {
      const warning = card.getByTestId('cql-builder-warnings');
      await warning.waitFor({ timeout: WAIT });
      const text = await warning.innerText();
      expect(text.includes('partition key columns host, day'), `warning does not name host and day: ${text}`);
    });

    await check('builder fields generate the CQL and set format and time column', async () => {
      await pick('cql-builder-time', 'ts');
      await pick('cql-builder-values', 'usage');
      await pick('cql-builder-labels', 'host');
      await page.locator('#cql-builder-key-host').fill('$host');
      await pick(card.getByLabel('host operator'), 'IN');
      await page.locator('#cql-builder-key-day').fill('$__timeBuckets(day)');
      await pick(card.getByLabel('day operator'), 'IN');
      await card.getByRole('radio', { name: 'Descending' }).click();
      await page.locator('#cql-builder-limit').fill('1000');
      await card.getByTestId('cql-builder-warnings').waitFor({ state: 'detached', timeout: WAIT });
      const expected = [
        'SELECT ts, host, usage',
        'FROM cpu',
        'WHERE host IN ($host)',
        '  AND day IN ($__timeBuckets(day))',
        '  AND $__timeFilter(ts)',
        'ORDER BY ts DESC',
        'LIMIT 1000',
      ].join('\n');
      const shown = await builderCql();
      expect(shown === expected, `builder shows:\n${shown}`);
      const q = (await published()).query;
      expect(q.cql === expected, `query.cql is:\n${q.cql}`);
      expect(q.format === 'time_series' && q.timeColumn === 'ts', `format ${q.format}, timeColumn ${q.timeColumn}`);
      const preview = await card.getByTestId('cql-preview').innerText();
      expect(preview.includes("host IN ('web-1','o''brien')"), `preview does not quote the variable: ${preview}`);
    });

    await check('screenshot of the builder', async () => {
      const shown = await builderCql();
      expect(shown.includes('ORDER BY ts DESC'), `the builder is not showing the finished query: ${shown}`);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.locator('#cql-alias').fill('');
      await card.getByText('Preview', { exact: true }).click();
      await card.getByTestId('cql-preview').waitFor({ state: 'detached', timeout: WAIT });
      await page.evaluate(() => window.scrollTo(0, 0));
      const file = path.join(SCREENSHOTS, 'query-builder.png');
      await card.screenshot({ path: file, animations: 'disabled', style: STEADY });
      expect(fs.statSync(file).size > 10000, `${file} is suspiciously small`);
      publish(file);
    });

    await check('back to code keeps the generated CQL in Monaco', async () => {
      const before = (await published()).query.cql;
      await card.getByRole('radio', { name: 'Code' }).click();
      await card.locator('.monaco-editor[role="code"]').waitFor({ timeout: 30000 });
      await card.locator('.view-lines').getByText('ORDER BY ts DESC').waitFor({ timeout: WAIT });
      const q = (await published()).query;
      expect(q.editorMode === 'code' && q.cql === before, `code mode changed the CQL: ${JSON.stringify(q)}`);
    });

    await check('no page errors and no request left the machine', async () => {
      expect(pageErrors.length === 0, `page errors: ${pageErrors.map((e) => e.message).join('; ')}`);
      expect(outside.length === 0, `requests to the outside: ${outside.join(', ')}`);
    });
  } finally {
    await browser.close();
    server.close();
  }
  finish();
}

main().catch((error) => {
  results.push({ name: 'browser check runs', seconds: 0, error });
  console.error(error);
  finish();
});
