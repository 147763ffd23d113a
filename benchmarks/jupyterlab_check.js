// A new user's path in a real JupyterLab (issue #12): open a notebook, set smoke mode in its parameters cell,
// Run > Run All Cells, wait until the saved notebook shows every code cell executed, count figures and errors,
// take a screenshot. Headless Chromium through playwright-core (npm), as no browser download is reachable here.
//
//   npm install --prefix /tmp/pw playwright-core        # once; Debian's chromium at /usr/bin/chromium
//   .venv/bin/jupyter lab --no-browser --ip=127.0.0.1 --port=8899 --IdentityProvider.token=T [--allow-root] &
//   NODE_PATH=/tmp/pw/node_modules node benchmarks/jupyterlab_check.js http://127.0.0.1:8899 T OUT_DIR \
//       notebooks/01_architecture.ipynb REPO_ROOT
//
// Only `smoke = False` is changed to `smoke = True`: the notebook's other defaults (data/ under the repository
// root, run folders under runs/) must work as they are. Completion is read from the notebook as Lab saves it
// (Ctrl+S every few seconds): Lab 4 leaves the prompts of off-screen cells empty, so the page cannot tell.
// Exit 0 when every code cell ran, at least one figure was drawn and no cell shows an error.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const [url, token, out, notebook, repo] = process.argv.slice(2);
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const t0 = Date.now();
  const log = (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
  await page.goto(`${url}/lab/tree/${notebook}?token=${token}`);
  await page.waitForSelector('.jp-NotebookPanel .jp-Cell', { timeout: 120000 });
  await page.waitForSelector('.jp-CodeCell .cm-content >> text=/smoke = False/', { timeout: 180000 });
  await page.waitForTimeout(3000);
  log('notebook open');
  const cells = page.locator('.jp-NotebookPanel:visible .jp-CodeCell');
  const n = await cells.count();
  let idx = -1;
  for (let i = 0; i < n; i++) {
    if (/^smoke = False/m.test(await cells.nth(i).locator('.cm-content').innerText())) { idx = i; break; }
  }
  if (idx < 0) throw new Error('no parameters cell with `smoke = False`');
  const editor = cells.nth(idx).locator('.cm-content');
  const edited = (await editor.innerText()).replace(/^smoke = False/m, 'smoke = True');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(edited);
  await page.keyboard.press('Escape');
  log('parameters cell: smoke = True (nothing else changed)');
  await page.click('.lm-MenuBar-itemLabel:text("Run")');
  await page.click('.lm-Menu-itemLabel:text("Run All Cells")');
  log('run all cells');
  const file = path.join(repo, notebook);
  const deadline = Date.now() + 20 * 60 * 1000;
  let state = { done: false };
  while (Date.now() < deadline) {
    await page.waitForTimeout(10000);
    await page.keyboard.press('Control+s');
    await page.waitForTimeout(1500);
    let nb;
    try { nb = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { continue; }
    const code = nb.cells.filter(c => c.cell_type === 'code');
    const outputs = code.flatMap(c => c.outputs || []);
    state = {
      code_cells: code.length,
      executed: code.filter(c => c.execution_count !== null).length,
      figures: outputs.filter(o => o.data && o.data['image/png']).length,
      errors: outputs.filter(o => o.output_type === 'error').length,
    };
    state.done = state.executed === state.code_cells;
    log(JSON.stringify(state));
    if (state.errors > 0 || state.done) break;
  }
  const img = page.locator('.jp-NotebookPanel:visible .jp-OutputArea-output img');
  if (await img.count() > 0) {  // Lab renders scrolled-to cells lazily: let it paint before the screenshot
    await img.first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(3000);
  }
  fs.mkdirSync(out, { recursive: true });
  await page.screenshot({ path: path.join(out, 'jupyterlab_smoke.png') });
  const result = { notebook, ...state, seconds: (Date.now() - t0) / 1000 };
  fs.writeFileSync(path.join(out, 'lab_check.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result));
  await browser.close();
  process.exit(state.done && state.figures > 0 && state.errors === 0 ? 0 : 1);
})().catch(e => { console.error(e); process.exit(2); });
