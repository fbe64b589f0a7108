// Builds every icon from assets/mark.svg, in the repo, offline: the tray icons per state (macOS
// template images = black + alpha, and coloured ones for Windows/Linux) at 16 and 32 px, and the
// app icon at 512/1024 px plus .icns and .ico. Rasterized by Chromium (Debian's, through
// Playwright, as the e2e tests use it), so no image library or download is needed.
// Run: node scripts/makeIcons.mjs   (then commit assets/)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '..');
const ASSETS = path.join(ROOT, 'assets');
const TRAY = path.join(ASSETS, 'tray');

/** The three shapes of the mark, read from the SVG source so it stays the one truth. */
function readMark() {
  const svg = fs.readFileSync(path.join(ASSETS, 'mark.svg'), 'utf8');
  const el = (id) => {
    const m = new RegExp(`<(rect|path)[^>]*id="${id}"[^>]*/>`).exec(svg);
    if (!m) throw new Error(`assets/mark.svg has no #${id}`);
    return m[0].replace(/ id="[^"]*"/, '');
  };
  return { window: el('window'), prompt: el('prompt'), cursor: el('cursor') };
}

const COLORS = {
  mark: '#2f6fed',
  glyph: '#ffffff',
  off: '#8a8f98',
  running: '#1fb85a',
  attention: '#f5a524',
};

/** The badge shapes (bottom right) and the gap cut around them so they read at 16 px. */
const BADGE = {
  running: { shape: '<circle cx="12.6" cy="12.4" r="2.9"/>', gap: '<circle cx="12.6" cy="12.4" r="4.3"/>' },
  attention: {
    shape: '<path d="M12.6 8.2 L16 15.4 L9.2 15.4 Z" stroke-linejoin="round" stroke-width="0.6"/>',
    gap: '<path d="M12.6 6 L17.8 16.6 L7.4 16.6 Z"/>',
  },
};

/** One tray icon as SVG: `template` = black + alpha (macOS tints it), else coloured. */
export function traySvg(state, template, mark = readMark()) {
  const ink = template ? '#000' : COLORS.mark;
  const glyph = (s) => s.replace('<rect', '<rect fill="black"').replace('<path', '<path stroke="black"');
  const badge = BADGE[state];
  let body;
  if (state === 'signed-out') {
    // Outline only: a different shape, not just a colour, so it reads in a template image too.
    const outline = mark.window.replace(
      'x="1" y="2" width="14" height="12"',
      'x="1.75" y="2.75" width="12.5" height="10.5"',
    );
    const col = template ? '#000' : COLORS.off;
    body = `${outline.replace('<rect', `<rect fill="none" stroke="${col}" stroke-width="1.5"`)}
      ${mark.prompt.replace('<path', `<path stroke="${col}"`)}${mark.cursor.replace('<rect', `<rect fill="${col}"`)}`;
  } else {
    body = `<mask id="m" maskUnits="userSpaceOnUse" x="0" y="0" width="16" height="16">
        <rect width="16" height="16" fill="white"/>${glyph(mark.prompt)}${glyph(mark.cursor)}
        ${badge ? badge.gap.replace(/^<(\w+)/, '<$1 fill="black"') : ''}
      </mask>
      ${mark.window.replace('<rect', `<rect fill="${ink}" mask="url(#m)"`)}
      ${badge ? badge.shape.replace(/^<(\w+)/, `<$1 fill="${template ? '#000' : COLORS[state]}" stroke="${template ? '#000' : COLORS[state]}"`) : ''}`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">${body}</svg>`;
}

/** The app icon: the mark, white on a blue rounded square with the platform's usual margin. */
export function appSvg(mark = readMark()) {
  const white = (s) => s.replace('<path', '<path stroke="#fff"').replace('<rect', '<rect fill="#fff"');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1024 1024">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#4b86ff"/><stop offset="1" stop-color="#2251c7"/></linearGradient></defs>
    <rect x="100" y="100" width="824" height="824" rx="185" fill="url(#g)"/>
    <g transform="translate(192 160) scale(40)">${white(mark.prompt)}${white(mark.cursor)}</g>
  </svg>`;
}

async function rasterize(page, svg, px) {
  const sized = svg.replace('<svg ', `<svg width="${px}" height="${px}" `);
  await page.setViewportSize({ width: px, height: px });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`,
  );
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: px, height: px } });
}

/** Decodes an 8-bit RGBA non-interlaced PNG (what Chromium writes) into its pixels. */
export function decodePng(buf) {
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (buf[24] !== 8 || buf[25] !== 6 || buf[28] !== 0)
    throw new Error('expected an 8-bit RGBA, non-interlaced PNG');
  const idat = [];
  for (let o = 8; o < buf.length;) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    if (type === 'IDAT') idat.push(buf.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const cur = raw[y * (stride + 1) + 1 + x];
      const a = x >= 4 ? px[y * stride + x - 4] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? px[(y - 1) * stride + x - 4] : 0;
      const p = a + b - c;
      const pr =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const v = [cur, cur + a, cur + b, cur + ((a + b) >> 1), cur + pr][f];
      if (v === undefined) throw new Error(`bad PNG filter ${f}`);
      px[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, px };
}

/** .ico with PNG-compressed entries (Windows Vista+). */
function ico(pngs) {
  const head = Buffer.alloc(6 + 16 * pngs.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(pngs.length, 4);
  let offset = head.length;
  pngs.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    head[e] = size >= 256 ? 0 : size;
    head[e + 1] = size >= 256 ? 0 : size;
    head.writeUInt16LE(1, e + 4);
    head.writeUInt16LE(32, e + 6);
    head.writeUInt32LE(data.length, e + 8);
    head.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...pngs.map((p) => p.data)]);
}

/** .icns with PNG entries (macOS 10.7+). */
function icns(entries) {
  const chunks = entries.map(({ type, data }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'latin1');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'latin1');
  h.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([h, ...chunks]);
}

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('no Chromium on PATH (set CHROMIUM_PATH)');
}

async function main() {
  const mark = readMark();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--force-color-profile=srgb',
      '--disable-lcd-text',
    ],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    fs.mkdirSync(TRAY, { recursive: true });
    for (const state of ['signed-out', 'idle', 'running', 'attention']) {
      for (const template of [true, false]) {
        const svg = traySvg(state, template, mark);
        const base = `tray-${state}${template ? 'Template' : ''}`;
        fs.writeFileSync(path.join(TRAY, `${base}.svg`), `${svg}\n`);
        for (const [suffix, px] of [
          ['', 16],
          ['@2x', 32],
        ]) {
          const png = await rasterize(page, svg, px);
          if (template) {
            const { px: pixels } = decodePng(png);
            for (let i = 0; i < pixels.length; i += 4) {
              if (pixels[i + 3] > 0 && (pixels[i] | pixels[i + 1] | pixels[i + 2]) !== 0)
                throw new Error(`${base}${suffix}.png: a template image must be black + alpha only`);
            }
          }
          fs.writeFileSync(path.join(TRAY, `${base}${suffix}.png`), png);
        }
      }
    }
    const app = appSvg(mark);
    fs.writeFileSync(path.join(ASSETS, 'icon.svg'), `${app}\n`);
    const sizes = {};
    for (const px of [16, 32, 48, 64, 128, 256, 512, 1024]) sizes[px] = await rasterize(page, app, px);
    fs.writeFileSync(path.join(ASSETS, 'icon.png'), sizes[1024]);
    fs.writeFileSync(path.join(ASSETS, 'icon-512.png'), sizes[512]);
    fs.writeFileSync(
      path.join(ASSETS, 'icon.ico'),
      ico([16, 32, 48, 64, 128, 256].map((size) => ({ size, data: sizes[size] }))),
    );
    fs.writeFileSync(
      path.join(ASSETS, 'icon.icns'),
      icns([
        { type: 'icp4', data: sizes[16] },
        { type: 'icp5', data: sizes[32] },
        { type: 'ic11', data: sizes[32] },
        { type: 'icp6', data: sizes[64] },
        { type: 'ic07', data: sizes[128] },
        { type: 'ic12', data: sizes[64] },
        { type: 'ic08', data: sizes[256] },
        { type: 'ic13', data: sizes[256] },
        { type: 'ic09', data: sizes[512] },
        { type: 'ic14', data: sizes[512] },
        { type: 'ic10', data: sizes[1024] },
      ]),
    );
    console.log(`icons written to ${path.relative(ROOT, ASSETS)}/`);
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
