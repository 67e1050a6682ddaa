// The book as a reader sees it: every page of the built book, loaded in headless Chromium
// (Debian's /usr/bin/chromium, never a downloaded browser), served on loopback by a tiny
// static server of our own, in the light theme and the dark `navy` theme, at a desktop
// (1280 px) and a phone (390 px) width.
//
// Fatal, naming page, theme and width: a console error or uncaught exception, a failed
// request (network error or HTTP status >= 400), a request to any host but loopback, an
// image that does not load, a `.katex-error`, horizontal page overflow (the page, or the
// content column, wider than the viewport), a display equation clipped by its own scroll
// box, a theme that is not applied, and a 404 page that does not work (at the root, and
// under a sub-path after a page of the book was read there), and at the phone width a
// chart that is not its phone variant (`<name>.phone.svg`) or that sits in a box that
// scrolls sideways. Reported, and fatal only when asked (`--chart-text fatal`,
// `--citations fatal`): chart text under MIN_CHART_TEXT_PX as shown, at both widths, and
// `<cite>`s that do not link. Also fatal: a code block that scrolls sideways at the
// desktop width (a line longer than the block).
//
// Usage: node check.cjs --book DIR --out DIR [--chart-text warn|fatal] [--citations warn|fatal]
//                       [--only PAGE.html ...] [--explorer-expect FILE]
// With --explorer-expect (cargo xtask browser writes it), the explorer page is also driven
// control by control and its numbers compared with the library's (browser/explorer.cjs).
// playwright-core is found through NODE_PATH (cargo xtask browser installs it, pinned, with
// `npm ci` into the per-user tool cache). Screenshots and report.json go to --out.

'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

/** The smallest chart text, in CSS px as shown in the page, that passes at either width:
 * the desktop shows each 600 px chart at its size, a phone its 350 px phone variant. */
const MIN_CHART_TEXT_PX = 12;

const { CHROMIUM, FLAGS } = require('./chromium.cjs');
const { checkExplorer } = require('./explorer.cjs');
const THEMES = ['light', 'navy'];
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800, mobile: false, minChartText: MIN_CHART_TEXT_PX },
  { name: 'phone', width: 390, height: 844, mobile: true, minChartText: MIN_CHART_TEXT_PX },
];
/** The sub-path under which the 404 page is also tried. */
const SUB_PATH = '/some/sub-path/';

function parseArgs(argv) {
  const args = { chartText: 'warn', citations: 'warn', only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--book') args.book = path.resolve(value());
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--chart-text') args.chartText = value();
    else if (a === '--citations') args.citations = value();
    else if (a === '--only') args.only.push(value());
    else if (a === '--explorer-expect') args.explorerExpect = path.resolve(value());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.book || !args.out) throw new Error('--book and --out are required');
  for (const k of ['chartText', 'citations']) {
    if (!['warn', 'fatal'].includes(args[k])) throw new Error(`${k} must be warn or fatal`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------
// A static server for the built book on 127.0.0.1, at `prefix` ("/", or SUB_PATH as a
// host would serve a project's pages). A missing file under the prefix gets the book's
// 404.html with status 404, as static hosts do; anything outside it a bare 404.

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

function serve(book, prefix) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!pathname.startsWith(prefix)) {
      res.writeHead(404, { 'content-type': TYPES['.txt'] }).end('not found');
      return;
    }
    let rel = pathname.slice(prefix.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(book, rel);
    const inside = file.startsWith(book + path.sep);
    if (inside && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'max-age=60' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': TYPES['.html'] });
    res.end(fs.readFileSync(path.join(book, '404.html')));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------
// What one page reports, measured inside the page.

/** Runs in the page: overflow, images, KaTeX errors, citations, chart text. */
async function inspect(options) {
  const problems = [];
  const notes = [];
  const describe = (el) => {
    const math = el.closest('.katex') || el.querySelector('.katex');
    const tex = math && math.querySelector('annotation');
    if (tex) return `formula $${tex.textContent.trim().slice(0, 60)}$`;
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    if (el.classList.length) d += `.${[...el.classList].slice(0, 2).join('.')}`;
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return text ? `${d} "${text}"` : d;
  };

  // Images: every <img> loaded (lazy ones are made eager and awaited first).
  const images = [...document.images];
  for (const img of images) img.loading = 'eager';
  await Promise.all(images.map((img) => img.decode().catch(() => {})));
  for (const img of images) {
    if (!(img.complete && img.naturalWidth > 0)) {
      problems.push({ check: 'image', text: `image did not load: ${img.getAttribute('src')}` });
    }
  }

  // KaTeX errors.
  for (const e of document.querySelectorAll('.katex-error')) {
    problems.push({
      check: 'katex',
      text: `.katex-error: ${(e.getAttribute('title') || e.textContent).slice(0, 120)}`,
    });
  }

  // Horizontal overflow: neither the page nor the content column may scroll sideways
  // (mdBook's .content scrolls on both axes, so a too-wide child makes it, not the page,
  // scroll). Scroll boxes of their own (code, equations, tables) are fine.
  const viewport = document.documentElement.clientWidth;
  const boxes = [
    ['the page', document.scrollingElement || document.documentElement],
    ['body', document.body],
    ...['.page-wrapper', '.page', '#mdbook-content', '.content', 'main'].map((s) => [
      s,
      document.querySelector(s),
    ]),
  ];
  const overflowing = boxes.filter(([, e]) => e && e.scrollWidth > e.clientWidth + 1);
  if (overflowing.length) {
    // Name the culprits: the outermost elements inside the innermost overflowing box that
    // reach past its right edge and do not sit inside a box that scrolls (or clips) by itself.
    const [, box] = overflowing[overflowing.length - 1];
    const br = box.getBoundingClientRect();
    const limit = box === document.scrollingElement || box === document.documentElement
      ? viewport
      : br.left + box.clientLeft + box.clientWidth;
    const contained = (el) => {
      for (let a = el.parentElement; a && a !== box; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    const culprits = [];
    for (const el of box.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > limit + 1 && !contained(el) && !culprits.some((c) => c.el.contains(el))) {
        culprits.push({ el, right: r.right });
      }
    }
    const worst = culprits
      .sort((a, b) => b.right - a.right)
      .slice(0, 3)
      .map((c) => `${describe(c.el)} reaches ${Math.round(c.right - limit)} px past the edge`);
    problems.push({
      check: 'overflow',
      text:
        `scrolls sideways: ${overflowing
          .map(([n, e]) => `${n} is ${e.scrollWidth} px wide in ${e.clientWidth} px`)
          .join('; ')}` + (worst.length ? `; culprits: ${worst.join('; ')}` : ''),
    });
  }
  // A display equation scrolls sideways in its own box, which clips it vertically: nothing
  // of it may reach past that box's padding.
  for (const d of document.querySelectorAll('main .katex-display')) {
    if (getComputedStyle(d).overflowY !== 'visible' && d.scrollHeight > d.clientHeight + 1) {
      problems.push({
        check: 'overflow',
        text: `${describe(d)} is clipped: ${d.scrollHeight} px tall in a box of ${d.clientHeight} px`,
      });
    }
  }
  // For the record: boxes that scroll sideways on their own at this width.
  const scrollers = [...document.querySelectorAll('main .katex-display, main .table-wrapper, main pre, main pre > code')]
    .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1);
  const scrolling = {};
  for (const e of scrollers) {
    const kind = e.matches('.katex-display') ? 'equations'
      : e.matches('.table-wrapper') ? 'tables'
        : 'code blocks';
    scrolling[kind] = (scrolling[kind] || 0) + 1;
  }
  // On the desktop every code line fits its block (tests/book.rs holds them to 86
  // characters; this measures it).
  if (window.innerWidth >= 1000) {
    for (const e of scrollers.filter((s) => s.matches('pre, pre > code'))) {
      problems.push({
        check: 'overflow',
        text: `${describe(e)} scrolls sideways: its longest line is ${e.scrollWidth} px in a block of ${e.clientWidth} px`,
      });
    }
  }

  // Citations: a <cite> links when it is inside, or holds, a link that goes somewhere.
  const cites = [...document.querySelectorAll('main cite')];
  const unlinked = cites.filter((c) => {
    const a = c.closest('a[href]') || c.querySelector('a[href]');
    if (!a) return true;
    const href = a.getAttribute('href');
    if (href.startsWith('#')) return !document.getElementById(decodeURIComponent(href.slice(1)));
    return false;
  });

  // Chart text: every <text> of every SVG chart in the page, at the size it is shown.
  // A chart in an <img> is fetched, parsed and laid out invisibly in a box of the <img>'s
  // displayed content size, with the viewBox the image is drawn with, so that each text's
  // computed font size times its transform to the viewport (viewBox scaling, rotations,
  // any scale) is its size in CSS px on screen. Inline <svg>s with text are measured in place.
  const measure = (svg, name, shownWidth, viewBoxWidth) => {
    const texts = [];
    for (const t of svg.querySelectorAll('text, tspan')) {
      const own = [...t.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('');
      if (!own.trim()) continue;
      const m = t.getCTM();
      if (!m) continue;
      const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      texts.push({ px, text: own.trim().replace(/\s+/g, ' ').slice(0, 40) });
    }
    texts.sort((a, b) => a.px - b.px);
    return {
      src: name,
      shownWidth: Math.round(shownWidth * 10) / 10,
      viewBoxWidth,
      texts: texts.length,
      min: texts.length ? texts[0] : null,
      smallest: texts.slice(0, 3),
      sizes: texts.map((t) => Math.round(t.px * 100) / 100),
    };
  };
  const charts = [];
  const chartImages = options.charts ? [...document.querySelectorAll('main img')].filter((i) =>
    /\.svg(?:$|[?#])/i.test(i.currentSrc || i.src)) : [];
  for (const img of chartImages) {
    const url = img.currentSrc || img.src;
    // The file shown (a <picture> picks the phone variant on a phone), from figures/ on.
    const name = decodeURIComponent(new URL(url).pathname).replace(/^.*?(?=figures\/)/, '');
    if (!(img.complete && img.naturalWidth > 0)) continue; // reported above
    if (options.phone && img.closest('figure.chart')) {
      // A phone shows the chart's own phone variant, at its size: not the desktop chart
      // scaled down, nor in a box to scroll sideways.
      if (!/\.phone\.svg(?:$|[?#])/.test(url)) {
        problems.push({ check: 'chart', text: `${name} is shown as the desktop chart (no phone variant)` });
      }
      for (let a = img.parentElement; a && a !== document.body; a = a.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX) && a.scrollWidth > a.clientWidth + 1) {
          problems.push({ check: 'chart', text: `${name} scrolls sideways in ${describe(a)}` });
          break;
        }
      }
    }
    const style = getComputedStyle(img);
    const rect = img.getBoundingClientRect();
    const px = (p) => parseFloat(style[p]) || 0;
    const w = rect.width - px('paddingLeft') - px('paddingRight') - px('borderLeftWidth') - px('borderRightWidth');
    const h = rect.height - px('paddingTop') - px('paddingBottom') - px('borderTopWidth') - px('borderBottomWidth');
    if (!(w > 0 && h > 0)) {
      // mdBook draws every image twice: in the text, and hidden in an .img-wrapper that
      // shows it full screen when clicked. The hidden copy is not what the reader sees.
      if (!img.closest('.img-wrapper')) charts.push({ src: name, error: 'not displayed' });
      continue;
    }
    let root;
    try {
      const text = await (await fetch(url)).text();
      root = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    } catch (e) {
      charts.push({ src: name, error: `could not read: ${e}` });
      continue;
    }
    if (!root || root.localName !== 'svg') {
      charts.push({ src: name, error: 'not an SVG document' });
      continue;
    }
    const svg = document.importNode(root, true);
    if (!svg.getAttribute('viewBox')) {
      // An image without a viewBox is drawn as if it had one of its width and height.
      const iw = parseFloat(svg.getAttribute('width'));
      const ih = parseFloat(svg.getAttribute('height'));
      if (iw > 0 && ih > 0) svg.setAttribute('viewBox', `0 0 ${iw} ${ih}`);
    }
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '100%');
    const holder = document.createElement('div');
    holder.style.cssText =
      `position:absolute;left:0;top:0;width:${w}px;height:${h}px;` +
      'visibility:hidden;pointer-events:none;overflow:hidden;contain:strict';
    holder.appendChild(svg);
    document.body.appendChild(holder);
    const vb = svg.viewBox.baseVal;
    charts.push(measure(svg, name, w, vb ? vb.width : null));
    holder.remove();
  }
  for (const svg of options.charts ? document.querySelectorAll('main svg') : []) {
    if (svg.ownerSVGElement || !svg.querySelector('text')) continue;
    const r = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    charts.push(measure(svg, `inline svg ${describe(svg)}`, r.width, vb ? vb.width : null));
  }

  return {
    theme: document.documentElement.className,
    viewport,
    problems,
    notes,
    scrolling,
    citations: { total: cites.length, unlinked: unlinked.length },
    charts,
  };
}

// ---------------------------------------------------------------------------------------

/**
 * Every HTML page of the book but toc.html: that is the sidebar for readers without
 * JavaScript, shown only inside the pages' <noscript> iframe (it follows no theme and has
 * no icon of its own, so loaded on its own it would fail checks no reader can meet).
 */
function pagesOf(book) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.html')) out.push(path.relative(book, p).split(path.sep).join('/'));
    }
  };
  walk(book);
  return out.filter((p) => p !== 'toc.html').sort();
}

function isLoopback(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

/** Opens a fresh context (its own storage) with `theme` preset and the given viewport. */
async function newContext(browser, theme, width) {
  const context = await browser.newContext({
    viewport: { width: width.width, height: width.height },
    isMobile: width.mobile,
    hasTouch: width.mobile,
    deviceScaleFactor: 1,
    colorScheme: 'light',
    serviceWorkers: 'block',
  });
  // mdBook keeps the reader's theme in localStorage; set it before any page script runs.
  await context.addInitScript((t) => {
    try {
      localStorage.setItem('mdbook-theme', t);
    } catch {
      // storage unavailable: the page falls back to its default theme
    }
  }, theme);
  return context;
}

/** Watches one page for console errors, failed and off-host requests. */
function watch(page, problems) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      problems.push({
        check: 'console',
        text: `console error: ${msg.text()}${loc && loc.url ? ` (${loc.url})` : ''}`,
        url: loc && loc.url,
      });
    }
  });
  page.on('pageerror', (err) => problems.push({ check: 'console', text: `uncaught: ${err.message}` }));
  page.on('request', (req) => {
    if (!isLoopback(req.url())) {
      problems.push({ check: 'off-host', text: `request to another host: ${req.url()}`, url: req.url() });
    }
  });
  page.on('requestfailed', (req) => {
    // ERR_ABORTED is a load the page itself cancelled (a navigation, a closed tab), not a defect.
    const failure = req.failure() ? req.failure().errorText : '';
    if (isLoopback(req.url()) && failure !== 'net::ERR_ABORTED') {
      problems.push({
        check: 'request',
        text: `request failed: ${req.url()} (${failure || 'failed'})`,
        url: req.url(),
      });
    }
  });
  page.on('response', (res) => {
    if (res.status() >= 400) {
      problems.push({ check: 'request', text: `HTTP ${res.status()}: ${res.url()}`, url: res.url() });
    }
  });
}

async function checkPage(context, base, page, theme, width, out) {
  const tab = await context.newPage();
  const problems = [];
  watch(tab, problems);
  const url = base + page;
  let report = null;
  const times = {};
  let t0 = Date.now();
  const lap = (name) => {
    times[name] = Date.now() - t0;
    t0 = Date.now();
  };
  try {
    const response = await tab.goto(url, { waitUntil: 'load', timeout: 30000 });
    lap('load');
    // The 404 page is served with status 404 on purpose; every other page must be 200.
    if (response && response.status() >= 400 && page === '404.html') {
      for (let i = problems.length - 1; i >= 0; i--) {
        if (problems[i].text === `HTTP ${response.status()}: ${url}`) problems.splice(i, 1);
      }
    }
    await tab.evaluate(() => document.fonts.ready.then(() => undefined));
    // print.html is every chapter again: its charts are measured on their own pages.
    report = await tab.evaluate(inspect, { charts: page !== 'print.html', phone: width.mobile });
    lap('inspect');
    problems.push(...report.problems);
    if (!report.theme.split(/\s+/).includes(theme)) {
      problems.push({ check: 'theme', text: `theme ${theme} not applied (html class "${report.theme}")` });
    }
    // JPEG: a full page of PNG takes seconds to encode. print.html (the whole book) gets
    // its first screen only.
    const shot = path.join(out, 'screenshots', `${page.replace(/\//g, '_').replace(/\.html$/, '')}.${theme}.${width.name}.jpg`);
    await tab.screenshot({ path: shot, type: 'jpeg', quality: 85, fullPage: page !== 'print.html', timeout: 60000 });
    lap('screenshot');
  } catch (e) {
    problems.push({ check: 'load', text: `could not check the page: ${e.message.split('\n')[0]}` });
  }
  await tab.close();
  return { page, theme, width: width.name, problems, report, times };
}

/**
 * The 404 page must work at any missing address, also when the book is served under a
 * sub-path: after a page of the book was read there (the root it remembers), every
 * stylesheet and script loads from the book and its links lead into the book.
 */
async function check404(browser, origins) {
  const results = [];
  const cases = [
    { root: '/', visit: null, missing: 'no/such/page.html' },
    { root: SUB_PATH, visit: 'intro.html', missing: 'no/such/deep/page.html' },
  ];
  for (const c of cases) {
    const origin = origins[c.root];
    const context = await newContext(browser, 'light', WIDTHS[0]);
    const tab = await context.newPage();
    const problems = [];
    watch(tab, problems);
    const name = `404 page at ${c.root}${c.missing}${c.visit ? ` after reading ${c.root}${c.visit}` : ''}`;
    const speculative = new Set();
    const missingUrl = origin + c.root + c.missing;
    try {
      if (c.visit) await tab.goto(origin + c.root + c.visit, { waitUntil: 'load' });
      const response = await tab.goto(missingUrl, { waitUntil: 'load' });
      if (!response || response.status() !== 404) {
        problems.push({ check: '404', text: `expected status 404, got ${response && response.status()}` });
      }
      const found = await tab.evaluate(async (root) => {
        const sheets = [...document.styleSheets].filter((s) => {
          try {
            return s.cssRules.length > 0;
          } catch {
            return false;
          }
        }).length;
        const links = [...document.querySelectorAll('a[href]')]
          .map((a) => a.href)
          .filter((h) => h.startsWith(location.origin) && !h.includes('#'));
        const outside = links.filter((h) => !new URL(h).pathname.startsWith(root));
        let dead = [];
        for (const h of links.slice(0, 20)) {
          const r = await fetch(h);
          if (!r.ok) dead.push(`${h} (${r.status})`);
        }
        return { sheets, links: links.length, outside, dead, title: document.title };
      }, c.root);
      if (found.sheets < 3) {
        problems.push({ check: '404', text: `only ${found.sheets} stylesheets loaded` });
      }
      if (found.links === 0) problems.push({ check: '404', text: 'no link into the book' });
      for (const h of found.outside) problems.push({ check: '404', text: `link outside the book: ${h}` });
      for (const h of found.dead) problems.push({ check: '404', text: `dead link: ${h}` });
    } catch (e) {
      problems.push({ check: '404', text: `could not check: ${e.message.split('\n')[0]}` });
    }
    await context.close();
    // The one expected 404 is the missing page itself (a response and a console line).
    // Under a sub-path, Chrome's preload scanner also fetches the page's resources against
    // the <base> in the markup (site-url, "/") before the page's script sets the book's
    // root: the host answers those outside the book with 404. What counts is that nothing
    // under the book's root fails and the page gets its styles and links.
    for (let i = problems.length - 1; i >= 0; i--) {
      const u = problems[i].url;
      const outside = c.root !== '/' && u && u.startsWith(origin) && !new URL(u).pathname.startsWith(c.root);
      if (u === missingUrl || outside) {
        problems.splice(i, 1);
        if (outside) speculative.add(u);
      }
    }
    results.push({ name, problems, speculative: speculative.size });
  }
  return results;
}

function fmtPx(x) {
  return x.toFixed(1);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  fs.mkdirSync(path.join(args.out, 'screenshots'), { recursive: true });
  for (const f of fs.readdirSync(path.join(args.out, 'screenshots'))) {
    fs.rmSync(path.join(args.out, 'screenshots', f));
  }
  let pages = pagesOf(args.book);
  if (args.only.length) pages = pages.filter((p) => args.only.includes(p));
  if (!pages.length) throw new Error(`no pages to check in ${args.book}`);

  const server = await serve(args.book, '/');
  const subServer = await serve(args.book, SUB_PATH);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  console.log(`browser   Chromium ${browser.version()}, ${pages.length} pages x ${THEMES.length} themes x ${WIDTHS.length} widths, served at ${origin}/`);

  const results = [];
  // Two contexts at a time (the machine has two cores), each walking every page.
  const combos = [];
  for (const width of WIDTHS) for (const theme of THEMES) combos.push({ theme, width });
  const runCombo = async ({ theme, width }) => {
    const context = await newContext(browser, theme, width);
    for (const page of pages) {
      results.push(await checkPage(context, `${origin}/`, page, theme, width, args.out));
    }
    await context.close();
  };
  const queue = [...combos];
  await Promise.all([0, 1].map(async () => {
    while (queue.length) await runCombo(queue.shift());
  }));
  // The explorer, driven like a reader at both widths (browser/explorer.cjs).
  const explorerRuns = [];
  if (args.explorerExpect && pages.includes('explorer.html')) {
    const expect = JSON.parse(fs.readFileSync(args.explorerExpect, 'utf8'));
    for (const width of WIDTHS) {
      const r = await checkExplorer((w) => newContext(browser, 'light', w), watch, `${origin}/`, expect, width, args.out);
      explorerRuns.push({ width: width.name, ...r });
    }
  }
  const notFound = await check404(browser, {
    '/': origin,
    [SUB_PATH]: `http://127.0.0.1:${subServer.address().port}`,
  });
  await browser.close();
  server.close();
  subServer.close();

  // ----- the report
  const fatal = [];
  const warnings = [];
  const order = (r) => `${r.page} ${r.width} ${r.theme}`;
  results.sort((a, b) => order(a).localeCompare(order(b)));
  for (const r of results) {
    for (const p of r.problems) fatal.push(`${r.page} [${r.theme}, ${r.width}] ${p.check}: ${p.text}`);
  }
  for (const r of notFound) {
    for (const p of r.problems) fatal.push(`${r.name}: ${p.text}`);
  }
  for (const r of explorerRuns) {
    for (const p of r.problems) fatal.push(`explorer.html driven [${r.width}] ${p.check}: ${p.text}`);
  }

  // Chart text, per width: one entry per chart (the same chart on several pages and in
  // both themes is measured each time; the smallest counts).
  const chartSummary = {};
  for (const width of WIDTHS) {
    const byChart = new Map();
    for (const r of results) {
      if (r.width !== width.name || !r.report) continue;
      for (const c of r.report.charts) {
        if (c.error) {
          fatal.push(`${r.page} [${r.theme}, ${r.width}] chart: ${c.src}: ${c.error}`);
          continue;
        }
        if (!c.min) continue;
        const old = byChart.get(c.src);
        if (!old || c.min.px < old.min.px) byChart.set(c.src, { ...c, page: r.page });
      }
    }
    const charts = [...byChart.values()].sort((a, b) => a.min.px - b.min.px);
    const minPx = width.minChartText;
    const under = charts.filter((c) => c.min.px < minPx - 1e-9);
    chartSummary[width.name] = {
      charts: charts.length,
      min: charts.length ? charts[0].min.px : null,
      under: under.length,
      list: charts.map((c) => ({
        src: c.src,
        page: c.page,
        shownWidth: c.shownWidth,
        viewBoxWidth: c.viewBoxWidth,
        minPx: Math.round(c.min.px * 100) / 100,
        smallest: c.smallest.map((t) => `${fmtPx(t.px)} px "${t.text}"`),
        textsUnder: c.sizes.filter((s) => s < minPx).length,
        texts: c.texts,
      })),
    };
    if (under.length) {
      const lines = under.map((c) =>
        `  ${c.src} (shown ${Math.round(c.shownWidth)} px of ${c.viewBoxWidth}): min ${fmtPx(c.min.px)} px ("${c.min.text}"), ` +
        `${c.sizes.filter((s) => s < minPx).length} of ${c.texts} texts under ${minPx} px`);
      const head = `chart text [${width.name} ${width.width} px]: ${under.length} of ${charts.length} charts have text under ${minPx} px (smallest ${fmtPx(charts[0].min.px)} px)`;
      const entry = [head, ...lines].join('\n');
      if (args.chartText === 'fatal') fatal.push(entry);
      else warnings.push(entry);
    }
  }

  // Citations: count each page once (both themes and widths see the same text).
  let cites = 0;
  let unlinked = 0;
  const unlinkedPages = [];
  for (const r of results) {
    if (r.theme !== THEMES[0] || r.width !== WIDTHS[0].name || !r.report) continue;
    if (r.page === 'print.html') continue; // the chapters again
    cites += r.report.citations.total;
    unlinked += r.report.citations.unlinked;
    if (r.report.citations.unlinked) unlinkedPages.push(`${r.page} ${r.report.citations.unlinked}`);
  }
  if (unlinked) {
    const entry = `citations: ${unlinked} of ${cites} <cite>s do not link (${unlinkedPages.join(', ')})`;
    if (args.citations === 'fatal') fatal.push(entry);
    else warnings.push(entry);
  }

  // Boxes that scroll on their own, for the record (at each width, light theme).
  const scrolling = {};
  for (const r of results) {
    if (r.theme !== THEMES[0] || !r.report || r.page === 'print.html') continue;
    for (const [kind, n] of Object.entries(r.report.scrolling)) {
      const key = `${r.width}`;
      scrolling[key] = scrolling[key] || {};
      scrolling[key][kind] = (scrolling[key][kind] || 0) + n;
    }
  }

  const seconds = (Date.now() - started) / 1000;
  const report = {
    minChartTextPx: MIN_CHART_TEXT_PX,
    pages,
    themes: THEMES,
    widths: WIDTHS.map((w) => w.width),
    seconds,
    fatal,
    warnings,
    charts: chartSummary,
    citations: { total: cites, unlinked },
    scrollingBoxes: scrolling,
    notFound: notFound.map((r) => ({ name: r.name, ok: r.problems.length === 0 })),
    explorer: explorerRuns,
    times: results.map((r) => ({ page: r.page, theme: r.theme, width: r.width, ms: r.times })),
  };
  fs.writeFileSync(path.join(args.out, 'report.json'), JSON.stringify(report, null, 1));

  for (const w of warnings) console.log(`warning   ${w}`);
  for (const [w, kinds] of Object.entries(scrolling)) {
    console.log(`browser   scrolling inside their own box at ${w} width: ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  }
  for (const width of WIDTHS) {
    const s = chartSummary[width.name];
    if (s.charts) {
      console.log(`browser   chart text at ${width.width} px: ${s.charts} charts, smallest text ${fmtPx(s.min)} px, ${s.under} charts under ${width.minChartText} px`);
    }
  }
  for (const r of explorerRuns) {
    for (const n of r.notes) console.log(`explorer  [${r.width}] ${n}`);
  }
  for (const r of notFound) {
    const note = r.speculative ? ` (${r.speculative} speculative loads outside the book ignored)` : '';
    console.log(`browser   ${r.name}: ${r.problems.length ? 'BROKEN' : 'works'}${note}`);
  }
  const checked = results.length;
  if (fatal.length) {
    for (const f of fatal) console.error(`FAIL      ${f}`);
    console.error(`browser   ${fatal.length} problems in ${checked} page loads (${seconds.toFixed(0)} s); screenshots in ${path.join(args.out, 'screenshots')}`);
    process.exitCode = 1;
  } else {
    console.log(`browser   ${checked} page loads (${pages.length} pages x ${THEMES.length} themes x ${WIDTHS.length} widths) passed in ${seconds.toFixed(0)} s; screenshots in ${path.join(args.out, 'screenshots')}`);
  }
}

main().catch((e) => {
  console.error(`error: ${e.stack || e}`);
  process.exit(2);
});
