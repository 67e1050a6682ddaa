// A notebook as a reader runs it: JupyterLab (started by `cargo xtask jupyterlab` on
// loopback, with the evcxr kernel) in headless Chromium (Debian's /usr/bin/chromium, never a
// downloaded browser). For each notebook: open it, wait for the kernel, Run All from the
// Run menu, wait until every cell has run, then fail, naming the notebook and cell, on an
// error output, output on stderr, a cell that never ran, or a number of charts (SVG images
// and the `<img data-chart>` of `charts::show_all`) other than the chapter shows
// (`why_init.charts` in the notebook's metadata). Hint boxes are opened and checked to show
// their code spans as code, not backticks.
//
// Usage: node jupyterlab.cjs --url http://127.0.0.1:PORT/ --token TOKEN --out DIR
//                            --notebook notebooks/zero.ipynb [--notebook ...] [--timeout SECONDS]
// Screenshots go to --out: <name>-window.png (the window after Run All), <name>-hints.png (the
// last markdown cell with hints, opened) and, for every code cell that shows several charts,
// <name>-cell-<n>.png (its outputs; n counts code cells from 1).

'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const { CHROMIUM, FLAGS } = require('./chromium.cjs');

function parseArgs(argv) {
  const args = { notebooks: [], timeout: 240 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--url') args.url = value();
    else if (a === '--token') args.token = value();
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--notebook') args.notebooks.push(value());
    else if (a === '--timeout') args.timeout = Number(value());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.url || !args.token || !args.out || args.notebooks.length === 0) {
    throw new Error('usage: node jupyterlab.cjs --url URL --token TOKEN --out DIR --notebook PATH...');
  }
  return args;
}

/** What the notebook's cells show now, read from JupyterLab's DOM. */
async function cellStates(page) {
  return page.evaluate(() => {
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell.jp-CodeCell')];
    return cells.map((cell, index) => {
      const prompt = (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '';
      const outputs = cell.querySelectorAll('.jp-OutputArea-output');
      const svgImages = cell.querySelectorAll('.jp-RenderedSVG img, .jp-RenderedSVG svg, .jp-RenderedImage img').length;
      const galleryImages = cell.querySelectorAll('.jp-RenderedHTMLCommon img[data-chart]').length;
      const loaded = [...cell.querySelectorAll('.jp-OutputArea-output img')].every(
        (img) => img.complete && img.naturalWidth > 0,
      );
      const errors = [...cell.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error',
      )].map((e) => e.textContent.trim().slice(0, 400));
      const source = (cell.querySelector('.jp-InputArea-editor') || {}).textContent || '';
      return {
        index,
        prompt: prompt.trim(),
        outputs: outputs.length,
        charts: svgImages + galleryImages,
        loaded,
        errors,
        source: source.slice(0, 120),
      };
    });
  });
}

async function runNotebook(browser, args, notebook, expected) {
  const name = path.basename(notebook, '.ipynb');
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${name}: uncaught exception in JupyterLab: ${e.message}`));
  const url = new URL(`lab/tree/${notebook}`, args.url);
  url.searchParams.set('token', args.token);
  url.searchParams.set('reset', '');
  const started = Date.now();
  await page.goto(url.toString());
  await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60000 });
  // The kernel is ready when the status bar says "Rust | Idle". If JupyterLab asks which
  // kernel to start, answer Rust (the notebook's kernelspec).
  const kernelDeadline = Date.now() + 120000;
  for (;;) {
    const status = await page.evaluate(() => {
      const dialog = document.querySelector('.jp-Dialog');
      if (dialog && /Select Kernel/.test(dialog.textContent)) return 'dialog';
      return /Rust\s*\|\s*Idle/.test(document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar')?.textContent || '')
        ? 'idle'
        : 'waiting';
    });
    if (status === 'idle') break;
    if (status === 'dialog') {
      await page.selectOption('.jp-Dialog select', { label: 'Rust' });
      await page.locator('.jp-Dialog button', { hasText: /^Select$/ }).click();
    }
    if (Date.now() > kernelDeadline) {
      problems.push(`${name}: the Rust kernel was not idle within 120 s`);
      break;
    }
    await page.waitForTimeout(500);
  }
  // Run > Run All Cells, as a reader would.
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
  const deadline = started + args.timeout * 1000;
  let states = await cellStates(page);
  for (;;) {
    states = await cellStates(page);
    const done = states.every((s) => /^\[\d+\]:$/.test(s.prompt));
    if (done || Date.now() > deadline) break;
    await page.waitForTimeout(1000);
  }
  const seconds = (Date.now() - started) / 1000;
  // Let the last outputs and images settle.
  await page.waitForTimeout(1500);
  states = await cellStates(page);
  for (const s of states) {
    if (!/^\[\d+\]:$/.test(s.prompt)) {
      problems.push(`${name}: cell ${s.index + 1} did not run (prompt ${JSON.stringify(s.prompt)}): ${s.source}`);
    }
    for (const e of s.errors) problems.push(`${name}: cell ${s.index + 1} wrote an error: ${e}`);
    if (!s.loaded) problems.push(`${name}: cell ${s.index + 1} has an image that did not load`);
  }
  const charts = states.reduce((n, s) => n + s.charts, 0);
  if (charts !== expected) {
    problems.push(`${name}: ${charts} charts appeared in JupyterLab; the chapter shows ${expected}`);
  }
  // Hints: open every <details> and check that code spans render as code.
  const hints = await page.evaluate(() => {
    const details = [...document.querySelectorAll('.jp-MarkdownOutput details')];
    details.forEach((d) => { d.open = true; });
    return details.map((d) => ({
      code: d.querySelectorAll('code').length,
      backticks: (d.textContent.match(/`/g) || []).length,
      text: d.textContent.trim().slice(0, 80),
    }));
  });
  const lastHint = page.locator('.jp-MarkdownOutput details').last();
  if (hints.length > 0) {
    await lastHint.scrollIntoViewIfNeeded();
    await page.locator('.jp-MarkdownCell').filter({ has: page.locator('details') }).last().screenshot({ path: path.join(args.out, `${name}-hints.png`) });
  }
  for (const h of hints) {
    if (h.backticks > 0) problems.push(`${name}: a hint shows ${h.backticks} literal backticks: ${h.text}`);
  }
  const stray = await page.evaluate(
    () => document.querySelectorAll('.jp-MarkdownOutput var, .jp-MarkdownOutput cite').length,
  );
  if (stray > 0) problems.push(`${name}: ${stray} <var>/<cite> elements in the markdown (shown in italics)`);
  // Screenshots: every cell that shows several charts, and the notebook from the top.
  fs.mkdirSync(args.out, { recursive: true });
  const cells = await page.$$('.jp-Notebook .jp-Cell.jp-CodeCell');
  for (const s of states) {
    if (s.charts > 1) {
      const cell = cells[s.index];
      await cell.scrollIntoViewIfNeeded();
      const output = await cell.$('.jp-Cell-outputWrapper');
      await (output || cell).screenshot({ path: path.join(args.out, `${name}-cell-${s.index + 1}.png`) });
    }
  }
  await page.screenshot({ path: path.join(args.out, `${name}-window.png`) });
  console.log(
    `jupyterlab ${name}: ${states.length} code cells ran in ${seconds.toFixed(1)} s, ${charts} charts shown ` +
      `(the chapter shows ${expected}), ${hints.length} hints checked`,
  );
  await context.close();
  return problems;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const problems = [];
  try {
    for (const notebook of args.notebooks) {
      const meta = JSON.parse(fs.readFileSync(notebook, 'utf8')).metadata.why_init || {};
      if (typeof meta.charts !== 'number') {
        problems.push(`${notebook}: no why_init.charts in the metadata (run cargo xtask notebooks)`);
        continue;
      }
      problems.push(...(await runNotebook(browser, args, notebook, meta.charts)));
    }
  } finally {
    await browser.close();
  }
  for (const p of problems) console.log(`FAIL  ${p}`);
  if (problems.length > 0) process.exit(1);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(2);
});
