// The book's explorer: looks up what `cargo xtask figures explorer` computed (the Rust
// library, the same numbers as `initlab layers --seeds 3`) and draws it as SVG. No model
// code runs here. Colours come from the mdBook theme's CSS variables (explorer.css).
//
// Loading, for a first draw soon after the page opens. The page's <head> holds the
// settings (what each menu offers: #explorer-index, a generated block of theme/head.hbs)
// and this script (on the explorer page only). Run there, before mdBook's stylesheets and
// scripts have loaded, it reads the settings and the address and asks at once for the two
// files of the chosen setting, layers/<init>-<activation>.json and train/<data set>.json
// (in data/ beside this script). The page calls whyInitExplorer.start() right after
// #explorer-app: it builds the controls and reads the column's width (the page's first
// layout), and the table and the plots of the layers view are drawn when the layers file
// is in (its response has usually come by then, but the browser hands it to the script
// between the steps in which it parses the rest of the page): data-first-draw, ms from the
// navigation's start; data-first-draw-script, from start().
// The histograms and the training view follow a frame later (data-first-paint), and
// data-drawn marks the whole page drawn.
(function () {
  'use strict';
  const here = document.currentScript;
  const base = here && here.src ? new URL('data/', here.src).href : 'explorer/data/';
  const NS = 'http://www.w3.org/2000/svg';
  const cache = new Map();
  let root = null;
  let started = 0;
  let index = null;
  const state = {};

  // Four significant digits, as initlab's four_digits prints them.
  function fmt(x) {
    if (x === null || x === undefined || !isFinite(x)) return 'nan';
    if (x === 0) return '0';
    const m = Math.floor(Math.log10(Math.abs(x)));
    if (m >= -3 && m < 5) return x.toFixed(Math.max(0, 3 - m));
    return x.toExponential(3).replace('e+', 'e');
  }
  // A fraction: four decimals, and "< 0.0001" below that (a fraction of a batch is a
  // multiple of 1/(units x inputs); smaller numbers are mean-field tails, not counts).
  function frac(x) {
    if (x === null || x === undefined || !isFinite(x)) return 'nan';
    if (x === 0) return '0';
    if (Math.abs(x) < 1e-4) return '< 0.0001';
    return fmt(x);
  }
  // Powers of ten as 10⁻¹⁹, not 1e-19.
  function pow10(e) {
    const map = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
    return e === 0 ? '1' : e === 1 ? '10' : '10' + String(e).split('').map((c) => map[c]).join('');
  }
  const pct = (x) => (x === null || !isFinite(x) ? 'nan' : (100 * x).toFixed(1) + ' %');

  function load(path) {
    if (!cache.has(path)) {
      const p = fetch(base + path).then((r) => {
        if (!r.ok) throw new Error(`explorer: ${path}: HTTP ${r.status}`);
        return r.json();
      });
      // Asked for before anything waits on it: a failure is reported where it is awaited,
      // and forgotten, so that choosing the setting again asks for the file again.
      p.catch(() => { if (cache.get(path) === p) cache.delete(path); });
      cache.set(path, p);
    }
    return cache.get(path);
  }

  function el(tag, attrs, parent, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function s(tag, attrs, parent, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // ----- controls
  function select(parent, id, label, options, value) {
    const wrap = el('div', { class: 'explorer-control' }, parent);
    el('label', { for: id }, wrap, label);
    const sel = el('select', { id, name: id }, wrap);
    for (const [v, text] of options) el('option', { value: String(v) }, sel, text);
    sel.value = String(value);
    return sel;
  }

  function readUrl() {
    const q = new URLSearchParams(location.search);
    const pick = (key, list, dflt) => {
      const v = q.get(key);
      return list.map(String).includes(v) ? v : String(dflt);
    };
    state.init = pick('init', index.inits.map((i) => i.key), 'xavier');
    state.act = pick('act', index.activations.map((a) => a.key), 'tanh');
    state.depth = Number(pick('depth', index.depths, 10));
    state.width = Number(pick('width', index.widths, 500));
    state.scale = Number(pick('scale', index.scales, 1));
    // What the reader asked for: restored when an activation offers it again.
    state.wantWidth = state.width;
    state.wantScale = state.scale;
    offered();
    const layer = Number(q.get('layer'));
    state.layer = layer >= 1 && layer <= state.depth && Number.isInteger(layer) ? layer : Math.min(5, state.depth);
    state.data = pick('data', index.train.datasets, 'circles');
    state.axes = pick('axes', ['same', 'own'], 'same');
    state.same = state.axes === 'same';
  }
  // The newer activations are offered at fewer widths and input scales (the data's size):
  // snap the width and the scale the reader asked for to the nearest the chosen activation
  // has, and say so (state.limits, shown under the controls).
  function offered() {
    const a = index.activations.find((x) => x.key === state.act);
    const near = (list, v) => list.reduce((best, w) => (Math.abs(Math.log(w / v)) < Math.abs(Math.log(best / v)) ? w : best), list[0]);
    state.width = near(a.widths, state.wantWidth);
    state.scale = near(a.scales, state.wantScale);
    const moved = [];
    if (state.width !== state.wantWidth) moved.push(`width ${state.wantWidth} → ${state.width}`);
    if (state.scale !== state.wantScale) moved.push(`input scale ${state.wantScale} → ${state.scale}`);
    const all = a.widths.length === index.widths.length && a.scales.length === index.scales.length;
    state.limits = all ? '' : `${a.label} was run at width ${a.widths.join(', ')} and input scale ${a.scales.join(', ')} only${moved.length ? ` (here ${moved.join(', ')})` : ''}.`;
  }
  function writeUrl() {
    const q = new URLSearchParams({
      init: state.init, act: state.act, depth: state.depth, width: state.width,
      scale: state.scale, layer: state.layer, axes: state.axes, data: state.data,
    });
    history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
  }

  // ----- charts: SVG in CSS pixels of the column, so text is 13 px at any width. The
  // column's width is read once per draw (update), before anything is drawn: reading it
  // after each chart would make the browser lay the page out again for every chart.
  let column = 0;
  function chart(parent, title, opts) {
    const fig = el('figure', { class: 'explorer-chart' }, parent);
    el('figcaption', {}, fig, title);
    const width = Math.max(280, Math.min(column || 600, 640));
    const height = opts.height || Math.round(Math.min(260, width * 0.55));
    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title }, fig);
    const m = { l: 66, r: 10, t: 8, b: 34 };
    const W = width - m.l - m.r;
    const H = height - m.t - m.b;
    const [x0, x1] = opts.x;
    let [y0, y1] = opts.y;
    const log = opts.log;
    const ty = (v) => (log ? Math.log10(v) : v);
    if (log) { y0 = Math.log10(y0); y1 = Math.log10(y1); }
    const X = (v) => m.l + ((v - x0) / (x1 - x0 || 1)) * W;
    const Y = (v) => m.t + H - ((ty(v) - y0) / (y1 - y0 || 1)) * H;
    const g = s('g', { class: 'axes' }, svg);
    s('rect', { x: m.l, y: m.t, width: W, height: H, class: 'frame' }, g);
    // y ticks
    const yt = [];
    if (log) {
      const step = Math.max(1, Math.ceil((y1 - y0) / 5));
      for (let e = Math.ceil(y0); e <= Math.floor(y1); e += step) yt.push(e);
      for (const e of yt) {
        const y = m.t + H - ((e - y0) / (y1 - y0 || 1)) * H;
        s('line', { x1: m.l, x2: m.l + W, y1: y, y2: y, class: 'grid' }, g);
        s('text', { x: m.l - 4, y: y + 4, 'text-anchor': 'end' }, g, pow10(e));
      }
    } else {
      for (let i = 0; i <= 4; i++) {
        const v = y0 + ((y1 - y0) * i) / 4;
        const y = m.t + H - (i / 4) * H;
        s('line', { x1: m.l, x2: m.l + W, y1: y, y2: y, class: 'grid' }, g);
        s('text', { x: m.l - 4, y: y + 4, 'text-anchor': 'end' }, g, opts.yfmt ? opts.yfmt(v) : fmt(v));
      }
    }
    const xticks = opts.xticks || [x0, x1];
    for (const v of xticks) s('text', { x: X(v), y: m.t + H + 16, 'text-anchor': 'middle' }, g, opts.xtickLabel ? opts.xtickLabel(v) : String(v));
    s('text', { x: m.l + W / 2, y: height - 3, 'text-anchor': 'middle', class: 'label' }, g, opts.xlabel);
    if (opts.ylabel) s('text', { x: 0, y: 0, transform: `translate(13,${m.t + H / 2}) rotate(-90)`, 'text-anchor': 'middle', class: 'label' }, g, opts.ylabel);
    return { svg, X, Y, fig, clampY: (v) => Math.min(m.t + H, Math.max(m.t, v)) };
  }
  function path(c, pts, cls, attrs) {
    const d = [];
    let pen = false;
    for (const [x, y] of pts) {
      if (y === null || !isFinite(y) || (y <= 0 && c.log)) { pen = false; continue; }
      d.push(`${pen ? 'L' : 'M'}${c.X(x).toFixed(1)},${c.clampY(c.Y(y)).toFixed(1)}`);
      pen = true;
    }
    return s('path', Object.assign({ d: d.join(''), class: cls }, attrs || {}), c.svg);
  }
  function legend(fig, items) {
    const ul = el('ul', { class: 'explorer-legend' }, fig);
    for (const [cls, text] of items) {
      const li = el('li', {}, ul);
      el('span', { class: `key ${cls}` }, li);
      li.appendChild(document.createTextNode(text));
    }
  }
  function range(values, log) {
    const v = values.filter((x) => x !== null && isFinite(x) && (!log || x > 0));
    if (!v.length) return log ? [0.1, 10] : [0, 1];
    let lo = Math.min(...v);
    let hi = Math.max(...v);
    if (log) {
      lo = Math.pow(10, Math.floor(Math.log10(lo) - 0.05));
      hi = Math.pow(10, Math.ceil(Math.log10(hi) + 0.05));
      return [lo, hi];
    }
    return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  }
  function layerTicks(d) {
    if (d <= 5) return Array.from({ length: d }, (_, i) => i + 1);
    const t = [1];
    const step = d <= 10 ? 3 : d <= 20 ? 5 : 10;
    for (let l = step; l < d; l += step) t.push(l);
    t.push(d);
    return t;
  }

  // A measurement through depth on a log scale: the mean over the seeds (line and dots),
  // a bar from the smallest to the largest seed, and the mean field dashed, drawn last so
  // that it stays visible where it lies on the measurement.
  function spreadChart(parent, title, meas, pred, depth, ylabel) {
    const lo = meas.map((p) => p[2]);
    const hi = meas.map((p) => p[3]);
    const all = [...meas.map((p) => p[0]), ...lo, ...hi, ...pred];
    const c = chart(parent, title, { x: [1, Math.max(2, depth)], y: range(all, true), log: true, xlabel: 'layer l', ylabel, xticks: layerTicks(depth) });
    c.log = true;
    meas.forEach((p, i) => {
      if (!(p[2] > 0) || !(p[3] > 0)) return;
      s('line', { x1: c.X(i + 1), x2: c.X(i + 1), y1: c.clampY(c.Y(p[2])), y2: c.clampY(c.Y(p[3])), class: 'spread' }, c.svg);
    });
    path(c, meas.map((p, i) => [i + 1, p[0]]), 'measured');
    meas.forEach((p, i) => {
      if (p[0] !== null && p[0] > 0) s('circle', { cx: c.X(i + 1), cy: c.clampY(c.Y(p[0])), r: 2.5, class: 'dot' }, c.svg);
    });
    path(c, pred.map((v, i) => [i + 1, v]), 'predicted');
    legend(c.fig, [['measured', `measured, mean of ${index.seeds} seeds (bar: smallest to largest seed)`], ['predicted', 'mean field']]);
    if (!meas.some((p) => p[0] > 0)) {
      el('p', { class: 'explorer-note' }, c.fig, 'Nothing to draw: every value is exactly 0 (zero weights make every aˡ and every gradient below the top layer 0), and 0 has no place on a log scale.');
    }
    return c;
  }
  function fractionChart(parent, title, series, depth) {
    const c = chart(parent, title, { x: [1, Math.max(2, depth)], y: [0, 1], xlabel: 'layer l', ylabel: 'fraction', xticks: layerTicks(depth), yfmt: (v) => v.toFixed(2) });
    const items = [];
    for (const [cls, text, vals] of series) {
      path(c, vals.map((v, i) => [i + 1, v]), cls);
      items.push([cls, text]);
    }
    legend(c.fig, items);
  }

  // Histograms of a and h at the preset layers: over one range per column (the union of
  // the layers' ranges, so that layers compare: the post's collapsing picture), or each
  // over its own range (to see the shape of a layer whose values are tiny).
  function histograms(parent, layer, cs, depth) {
    const hist = state.same ? cs.shist : cs.hist;
    const box = el('div', { class: 'explorer-hists' }, parent);
    const shown = index.depths.map((d, i) => [d, hist[i]]).filter(([d]) => d <= depth);
    for (const [d, pair] of shown) {
      const row = el('div', { class: 'explorer-hist-row' }, box);
      ['a', 'h'].forEach((name, k) => {
        const h = pair[k];
        const cell = el('div', { class: 'explorer-hist' + (d === layer ? ' current' : '') }, row);
        el('div', { class: 'explorer-hist-title' }, cell, `${name}${sup(d)}`);
        const w = Math.max(120, Math.floor((column || 300) / 2) - 12);
        const ht = 64;
        const svg = s('svg', { width: w, height: ht + 16, viewBox: `0 0 ${w} ${ht + 16}`, role: 'img', 'aria-label': `histogram of ${name} in layer ${d}` }, cell);
        if (!h) { s('text', { x: 4, y: 30 }, svg, 'overflowed'); return; }
        // The bars' heights, one base-36 digit per bin (in 35ths of the tallest).
        const [lo, hi, digits] = h;
        const counts = [...digits].map((c) => parseInt(c, 36));
        if (lo === hi) {
          // Every value the same (zero weights): one bar, labelled with the value.
          s('rect', { x: w / 2 - 3, y: 0, width: 6, height: ht, class: 'bar' }, svg);
          s('text', { x: w / 2, y: ht + 14, 'text-anchor': 'middle' }, svg, `every value = ${fmt(lo)}`);
          return;
        }
        const max = Math.max(...counts, 1);
        const bw = w / counts.length;
        counts.forEach((n, i) => {
          const bh = (n / max) * ht;
          s('rect', { x: i * bw + 0.5, y: ht - bh, width: Math.max(bw - 1, 1), height: bh, class: 'bar' }, svg);
        });
        s('text', { x: 0, y: ht + 14, 'text-anchor': 'start' }, svg, fmt(lo));
        s('text', { x: w, y: ht + 14, 'text-anchor': 'end' }, svg, fmt(hi));
      });
    }
  }
  function sup(n) {
    const map = '⁰¹²³⁴⁵⁶⁷⁸⁹';
    return String(n).split('').map((c) => map[Number(c)]).join('');
  }

  // ----- the two views
  let ui = null;
  function build() {
    root.textContent = '';
    const form = el('form', { class: 'explorer-controls', 'aria-label': 'settings of the explorer' }, root);
    form.addEventListener('submit', (e) => e.preventDefault());
    const c = {};
    c.init = select(form, 'ex-init', 'Initializer', index.inits.map((i) => [i.key, i.label]), state.init);
    c.init.parentNode.classList.add('wide');
    c.act = select(form, 'ex-act', 'Activation', index.activations.map((a) => [a.key, a.label]), state.act);
    c.act.parentNode.classList.add('wide');
    c.depth = select(form, 'ex-depth', 'Depth L', index.depths.map((d) => [d, String(d)]), state.depth);
    c.width = select(form, 'ex-width', 'Width n', index.widths.map((w) => [w, String(w)]), state.width);
    c.scale = select(form, 'ex-scale', 'Input scale', index.scales.map((v) => [v, `${v} × N(0, 1)`]), state.scale);
    c.layer = select(form, 'ex-layer', 'Read layer l', [], state.layer);
    c.axes = select(form, 'ex-axes', 'Histogram axes', [['same', 'one range per column'], ['own', 'each layer its own']], state.axes);
    c.axes.parentNode.classList.add('wide');
    const limits = el('p', { class: 'explorer-note', id: 'ex-limits', 'aria-live': 'polite' }, root);
    // Where a failed download is reported: under the controls, in view.
    const error = el('p', { class: 'explorer-error', role: 'alert', id: 'ex-error' }, root);
    error.hidden = true;
    const out = el('div', { class: 'explorer-out', 'aria-live': 'polite' }, root);
    const readout = el('table', { class: 'explorer-readout', id: 'ex-readout' }, out);
    const cmd = el('pre', { class: 'explorer-cmd' }, out);
    const plots = el('div', { class: 'explorer-plots', id: 'ex-plots' }, out);
    const hists = el('div', { class: 'explorer-hist-box', id: 'ex-hists' }, out);
    el('h2', { id: 'training-view' }, root, 'Training on the toy problems');
    const tr = index.train;
    el('p', { class: 'explorer-note' }, root, `A second, separate experiment: a small 2-${tr.hidden.join('-')}-K network (K classes) with the initializer and activation chosen above, trained by full-batch gradient descent (learning rate ${tr.lr}, ${tr.epochs} epochs, seed 0) on a toy problem. It is not one of the networks of Part I, and the controls depth, width, input scale and layer do not apply to it. Its numbers are those of initlab train with the same options.`);
    const tform = el('form', { class: 'explorer-controls', 'aria-label': 'training settings' }, root);
    tform.addEventListener('submit', (e) => e.preventDefault());
    c.data = select(tform, 'ex-data', 'Data set', index.train.datasets.map((d) => [d, d]), state.data);
    const tnote = el('p', { class: 'explorer-note', id: 'ex-train-note' }, root);
    const tplots = el('div', { class: 'explorer-plots', id: 'ex-train' }, root);
    for (const [key, sel] of Object.entries(c)) {
      sel.addEventListener('change', () => {
        state[key] = ['depth', 'width', 'scale', 'layer'].includes(key) ? Number(sel.value) : sel.value;
        state.same = state.axes === 'same';
        if (key === 'depth') state.layer = Math.min(state.layer, state.depth);
        if (key === 'width') state.wantWidth = state.width;
        if (key === 'scale') state.wantScale = state.scale;
        if (key === 'act') offered();
        update().catch(fail);
      });
    }
    ui = { c, limits, error, readout, cmd, plots, hists, tnote, tplots };
  }

  function layerOptions() {
    const sel = ui.c.layer;
    sel.textContent = '';
    for (let l = 1; l <= state.depth; l++) el('option', { value: String(l) }, sel, String(l));
    sel.value = String(state.layer);
    // The widths and input scales the activation is offered at.
    const a = index.activations.find((x) => x.key === state.act);
    const fill = (s, list, text, value) => {
      if (s.options.length === list.length && [...s.options].every((o, k) => o.value === String(list[k]))) { s.value = String(value); return; }
      s.textContent = '';
      for (const v of list) el('option', { value: String(v) }, s, text(v));
      s.value = String(value);
    };
    fill(ui.c.width, a.widths, String, state.width);
    fill(ui.c.scale, a.scales, (v) => `${v} × N(0, 1)`, state.scale);
    ui.limits.textContent = state.limits;
    ui.limits.hidden = !state.limits;
  }

  // The layers file and the training file of the chosen setting.
  function files() {
    const dataKey = index.inits.find((x) => x.key === state.init).data;
    return [`layers/${dataKey}-${state.act}.json`, `train/${state.data}.json`];
  }

  let generation = 0;
  async function update() {
    const my = ++generation;
    const [layersFile, trainFile] = files();
    const trainData = load(trainFile);
    const layersData = load(layersFile);
    writeUrl();
    layerOptions();
    column = ui.plots.clientWidth;
    const layers = await layersData;
    if (my !== generation) return;
    const key = `${state.width}/${state.scale}`;
    const cs = layers.cases[key];
    if (!cs) throw new Error(`explorer: no setting ${key} in ${layersFile}`);
    ui.error.hidden = true;
    drawLayers(cs, layers);
    // The first draw: the table and the plots of the layers view; the histograms and the
    // training view follow after the browser has painted it.
    if (!root.hasAttribute('data-first-draw')) {
      root.setAttribute('data-first-draw', String(Math.round(performance.now())));
      root.setAttribute('data-first-draw-script', String(Math.round(performance.now() - started)));
    }
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    if (my !== generation) return;
    ui.hists.style.minHeight = '';
    if (!root.hasAttribute('data-first-paint')) root.setAttribute('data-first-paint', String(Math.round(performance.now())));
    // The column measured before the page below had loaded (a scroll bar may have come since).
    if (ui.plots.clientWidth !== column) {
      column = ui.plots.clientWidth;
      drawLayers(cs, layers);
    }
    drawHistograms(cs);
    const train = await trainData;
    if (my !== generation) return;
    drawTraining(train);
    root.setAttribute('data-drawn', `${state.init}-${state.act}-${state.depth}-${state.width}-${state.scale}-${state.layer}-${state.axes}-${state.data}`);
    root.dispatchEvent(new CustomEvent('explorer-drawn'));
  }

  function drawLayers(cs, layers) {
    const d = state.depth;
    const l = state.layer;
    const sd = cs.sd.slice(0, d);
    const grad = cs.grad[String(d)];
    const t = ui.readout;
    t.textContent = '';
    el('caption', {}, t, `Layer ${l} of ${d}, width ${state.width}, ${index.seeds} seeds`);
    const head = el('tr', {}, el('thead', {}, t));
    for (const h of ['', 'measured (mean ± sd)', 'mean field']) el('th', { scope: 'col' }, head, h);
    const body = el('tbody', {}, t);
    const row = (name, id, m, p) => {
      const tr = el('tr', {}, body);
      el('th', { scope: 'row' }, tr, name);
      el('td', { 'data-value': id }, tr, m);
      el('td', { 'data-value': `${id}-mf` }, tr, p);
    };
    // Two significant digits, trailing zeros kept (0.030, not 0.03).
    const two = (x) => (x === null || !isFinite(x) ? 'nan' : x === 0 ? '0'
      : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5 ? x.toExponential(1).replace('e+', 'e')
        : Math.abs(x) >= 10 ? String(Number(x.toPrecision(2))) : x.toPrecision(2));
    const pm = (p) => (p && p[0] !== null ? `${fmt(p[0])} ± ${two(p[1])}` : 'overflowed');
    row(`sd of a${sup(l)}`, 'sd', pm(cs.sd[l - 1]), fmt(cs.mf[l - 1]));
    row(`sd of ∂L/∂a${sup(l)}`, 'grad', pm(grad[l - 1]), fmt(cs.mfgrad[String(d)][l - 1]));
    const cut = state.act === 'sigmoid' ? 'σ outside [0.01, 0.99]' : '|tanh| > 0.99';
    if (cs.sat) row(`saturated (${cut})`, 'sat', pm(cs.sat[l - 1]), frac(cs.mfsat[l - 1]));
    const off = state.act === 'relu' ? 'dead (off for every input)' : 'off for every input';
    if (cs.dead) row(off, 'dead', pm(cs.dead[l - 1]), '–');
    const i = index.widths.indexOf(state.width);
    const init = index.inits.find((x) => x.key === state.init);
    const act = index.activations.find((x) => x.key === state.act);
    const gainMatch = /^(.*) \(gain (.*)\)$/.exec(init.init);
    const initArg = gainMatch ? `${gainMatch[1]} --gain ${gainMatch[2]}` : init.init;
    ui.cmd.textContent = `initlab layers --init ${initArg} --activation ${act.name} --depth ${d} --width ${state.width} --batch ${index.batches[i]} --input-scale ${state.scale} --seeds ${index.seeds}`;
    ui.plots.textContent = '';
    spreadChart(ui.plots, 'Standard deviation of aˡ through depth', sd, cs.mf.slice(0, d), d, 'sd of aˡ (log scale)');
    spreadChart(ui.plots, 'Standard deviation of ∂L/∂aˡ through depth', grad, cs.mfgrad[String(d)], d, 'sd of ∂L/∂aˡ (log scale)');
    const b = index.batches[i];
    const series = [];
    let title = null;
    if (cs.sat) {
      title = `Saturated fraction (${cut}) through depth`;
      series.push(['measured', 'measured, mean of the seeds', cs.sat.slice(0, d).map((p) => p[0])]);
      series.push(['predicted', 'mean field', cs.mfsat.slice(0, d)]);
    }
    if (cs.dead) {
      title = state.act === 'relu' ? 'Dead fraction through depth' : 'Fraction of units off for every input, through depth';
      series.push(['dead', `measured over a batch of ${b} inputs`, cs.dead.slice(0, d).map((p) => p[0])]);
    }
    if (series.length) fractionChart(ui.plots, title, series, d);
    else if (state.act === 'identity') el('p', { class: 'explorer-note' }, ui.plots, 'The identity neither saturates nor has units that are off for every input.');
    else el('p', { class: 'explorer-note' }, ui.plots, `The page counts saturated units for tanh and the sigmoid and units off for every input for ReLU and leaky ReLU; for ${act.label} it shows neither count: the page has no saturation cut for it, and its slope vanishes only far on the negative side.`);
    if (cs.dead) {
      el('p', { class: 'explorer-note' }, ui.plots, state.act === 'relu'
        ? `A unit counts as dead when it is off (aˡ ≤ 0) for every one of the ${b} inputs of the batch at this width; with a larger batch fewer units pass that test, so compare these fractions at one width.`
        : `A unit counts here when it is off (aˡ ≤ 0) for every one of the ${b} inputs of the batch at this width. Leaky ReLU's units are never dead: off, they still pass 0.01 of the gradient.`);
    }
    const key = cs.sat ? 'sat' : cs.dead ? 'dead' : null;
    if (key) widthChart(ui.plots, layers, key, l);
    // The histograms of the old setting go; their space stays until the new ones are drawn
    // (a frame later), so that nothing below moves meanwhile.
    ui.hists.style.minHeight = `${ui.hists.offsetHeight}px`;
    ui.hists.textContent = '';
  }

  // The fraction of the layer read, against the width, at this input scale (every width
  // is in the same data file).
  function widthChart(parent, layers, key, l) {
    const pts = index.widths.map((w, k) => {
      const c = layers.cases[`${w}/${state.scale}`];
      return [k, c[key][l - 1][0], key === 'sat' ? c.mfsat[l - 1] : null];
    });
    const name = key === 'sat' ? 'Saturated fraction' : state.act === 'relu' ? 'Dead fraction' : 'Fraction off for every input';
    const c = chart(parent, `${name} of layer ${l} against the width (the same at every depth from ${l} on)`, {
      x: [0, index.widths.length - 1], y: [0, 1], xlabel: 'width n', ylabel: 'fraction', xticks: index.widths.map((_, k) => k),
      xtickLabel: (k) => String(index.widths[k]), yfmt: (v) => v.toFixed(2),
    });
    path(c, pts.map(([k, m]) => [k, m]), key === 'sat' ? 'measured' : 'dead');
    pts.forEach(([k, m]) => { if (m !== null) s('circle', { cx: c.X(k), cy: c.clampY(c.Y(m)), r: 2.5, class: 'dot' }, c.svg); });
    const items = [[key === 'sat' ? 'measured' : 'dead', 'measured, mean of the seeds']];
    if (key === 'sat') { path(c, pts.map(([k, , p]) => [k, p]), 'predicted'); items.push(['predicted', 'mean field']); }
    const here = index.widths.indexOf(state.width);
    s('line', { x1: c.X(here), x2: c.X(here), y1: c.Y(0), y2: c.Y(1), class: 'grid current' }, c.svg);
    legend(c.fig, items);
  }

  function drawHistograms(cs) {
    const d = state.depth;
    ui.hists.textContent = '';
    el('p', { class: 'explorer-note' }, ui.hists, `Histograms of aˡ and hˡ at the preset layers up to ${d}, all ${index.seeds} seeds pooled, ${state.same ? 'each column over one range (the union of its layers\' ranges), so that layers compare' : 'each over its own range (from 4 standard deviations below the mean to 4 above, or the extreme values)'}; the numbers under each are the ends of its range.`);
    histograms(ui.hists, state.layer, cs, d);
  }

  function drawTraining(train) {
    const tr = index.train;
    const run = train.runs[`${state.init}-${state.act}`];
    const init = index.inits.find((x) => x.key === state.init);
    const act = index.activations.find((x) => x.key === state.act);
    ui.tnote.textContent = `The ${act.label} network on ${train.dataset}. Thick line: ${init.label}; thin lines: the other initializers, coloured as in the legend. Test accuracy at the end: ${pct(run.test)}${run.diverged !== null ? `; diverged at epoch ${run.diverged}` : ''}.`;
    ui.tnote.setAttribute('data-test', String(run.test));
    const p = ui.tplots;
    p.textContent = '';
    // The other initializers, each in its own colour (o0 ... o7 by its place in the menu).
    const others = index.inits.map((x, k) => [x, k]).filter(([x]) => x.key !== state.init)
      .map(([x, k]) => Object.assign({ cls: `other o${k}`, label: x.label }, train.runs[`${x.key}-${state.act}`]));
    const losses = [run, ...others].flatMap((r) => r.history.map((h) => h[1]));
    const lc = chart(p, 'Training loss', { x: [0, tr.epochs], y: range(losses, true), log: true, xlabel: 'epoch', ylabel: 'loss (log scale)', xticks: [0, tr.epochs / 2, tr.epochs] });
    lc.log = true;
    for (const o of others) path(lc, o.history.map((h) => [h[0], h[1]]), o.cls);
    path(lc, run.history.map((h) => [h[0], h[1]]), 'chosen');
    const items = [['chosen', `${init.label} (chosen)`], ...others.map((o) => [o.cls, o.label])];
    legend(lc.fig, items);
    const ac = chart(p, 'Training accuracy', { x: [0, tr.epochs], y: [0, 1], xlabel: 'epoch', ylabel: 'accuracy', xticks: [0, tr.epochs / 2, tr.epochs], yfmt: (v) => v.toFixed(2) });
    for (const o of others) path(ac, o.history.map((h) => [h[0], h[2]]), o.cls);
    path(ac, run.history.map((h) => [h[0], h[2]]), 'chosen');
    legend(ac.fig, items);
    const box = el('div', { class: 'explorer-regions' }, p);
    tr.snapshots.forEach((epoch, k) => {
      const cell = el('figure', { class: 'explorer-region' }, box);
      el('figcaption', {}, cell, `epoch ${epoch}`);
      const size = Math.max(110, Math.min(150, Math.floor(((column || 320) - 24) / 2)));
      const svg = s('svg', { width: size, height: size, viewBox: `0 0 ${size} ${size}`, role: 'img', 'aria-label': `decision regions at epoch ${epoch}` }, cell);
      // The regions as runs, "a31b5...": class a (0) at 31 grid points in a row, then b ...
      const grid = run.regions[k] && [...run.regions[k].matchAll(/([a-z])(\d+)/g)].flatMap((m) => Array(Number(m[2])).fill(m[1].charCodeAt(0) - 97));
      const n = tr.grid;
      const cellSize = size / n;
      if (grid) {
        for (let i = 0; i < grid.length; i++) {
          s('rect', { x: (i % n) * cellSize, y: Math.floor(i / n) * cellSize, width: cellSize, height: cellSize, class: `region c${grid[i]}` }, svg);
        }
      } else {
        s('text', { x: 6, y: size / 2 }, svg, 'diverged');
      }
      const R = tr.range;
      for (const [x, y, c] of train.points) {
        if (Math.abs(x) > R || Math.abs(y) > R) continue;
        s('circle', { cx: ((x + R) / (2 * R)) * size, cy: ((R - y) / (2 * R)) * size, r: 1.8, class: `point c${c}` }, svg);
      }
    });
  }

  // A failure: said under the controls (once, the latest), and the views of the setting
  // before emptied, so that no number on the page belongs to another setting than the one
  // the controls and the address show.
  function fail(e) {
    console.error(e);
    const text = `The explorer could not load its data: ${e.message}`;
    if (!ui) return el('p', { class: 'explorer-error', role: 'alert' }, root, text);
    for (const part of [ui.readout, ui.cmd, ui.plots, ui.hists, ui.tnote, ui.tplots]) part.textContent = '';
    ui.hists.style.minHeight = '';
    root.removeAttribute('data-drawn');
    ui.error.textContent = text;
    ui.error.hidden = false;
    return ui.error;
  }

  // In the <head>: the settings, the address, and the two files of the chosen setting asked
  // for now, so that they load while the browser goes on with the page.
  let early = null;
  try {
    const block = document.getElementById('explorer-index');
    if (!block) throw new Error('explorer: the page has no index of the settings (#explorer-index)');
    index = JSON.parse(block.textContent);
    readUrl();
    files().forEach(load);
  } catch (e) {
    early = e;
  }
  // Called by the page right after #explorer-app.
  function start() {
    root = document.getElementById('explorer-app');
    if (!root || ui) return;
    started = performance.now();
    if (early) {
      fail(early);
      return;
    }
    try {
      build();
      update().catch(fail);
      watchWidth();
    } catch (e) {
      fail(e);
    }
  }
  window.whyInitExplorer = { start };
  // Redraw when the column's width changes, once it has settled (a sidebar sliding in or
  // out changes it over several frames); not when only the height does (a phone's address
  // bar hiding).
  let resize = null;
  let drawnWidth = null;
  const resized = () => {
    clearTimeout(resize);
    resize = setTimeout(() => {
      if (!ui || root.clientWidth === drawnWidth) return;
      drawnWidth = root.clientWidth;
      update().catch(fail);
    }, 150);
  };
  function watchWidth() {
    drawnWidth = root.clientWidth;
    if (typeof ResizeObserver === 'function') new ResizeObserver(resized).observe(root);
    else window.addEventListener('resize', resized);
  }
})();
