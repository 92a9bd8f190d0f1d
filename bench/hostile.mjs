// Hostile HTML for `npm run bench` (called from bench/run.mjs): how long the bot takes to
// refuse or read what is built to stall it, and how long its main thread goes without
// running a timer meanwhile (what /healthz and other chats would wait: target < 1 s).
//  (a) `/brief URL` of a page nested 2,000 <div>s deep (readArticle: pre-scan in a worker);
//  (b) a feed with one item of 100,000 nested escaped <div>s (readFeed: a worker);
//  (c) an ordinary page through the worker (the cost of the worker itself);
//  (d) the costliest feed still read on the main thread (IN_THREAD's markup, all item HTML
//      read through the DOM, nested as deep as the markup limits let it be);
//  (e) for reference, what one page within the limits costs Readability (on this thread
//      here; the bot reads every page in a worker): one chain 250 <div>s deep.
// Run alone: `npm run build && node bench/hostile.mjs`.
import { parseHtml } from '../dist/core/input/html.js';
import { markupExcess } from '../dist/core/input/markup-limits.js';
import { parseFeed } from '../dist/feeds/parse.js';
import { IN_THREAD, readArticle, readableInThread, readFeed } from '../dist/input/read.js';

export const HOSTILE_TARGET = { stallMs: 1000 };

const encode = (text) => new TextEncoder().encode(text);
const round = (x, digits = 1) => Number(x.toFixed(digits));
const nested = (depth, text) => `${'<div>'.repeat(depth)}${text}${'</div>'.repeat(depth)}`;
const page = (body) =>
  `<!doctype html><html><head><title>Deep</title></head><body>${body}</body></html>`;

/** Runs `work`, timing it and the longest the thread went without running a 10 ms timer. */
async function stall(work) {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  const started = performance.now();
  let outcome;
  try {
    await work();
    outcome = 'read';
  } catch (error) {
    outcome = error.code ?? error.message;
  }
  const ms = performance.now() - started;
  clearInterval(timer);
  return { ms: round(ms), stallMs: round(Math.max(longest, performance.now() - last)), outcome };
}

function rss(items) {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>${items.join('')}</channel></rss>`;
}

export async function hostileBench({ printTable, mark }) {
  const deepPage = page(nested(2000, 'Belousov landed in Pyongyang.'));
  const escaped = nested(100_000, 'deep').replace(/</g, '&lt;');
  const deepFeed = rss([
    `<item><title>Deep</title><link>https://x.example/1</link><description>${escaped}</description></item>`,
    '<item><title>Fine</title><link>https://x.example/2</link><description>&lt;p&gt;Umerov met Yoon.&lt;/p&gt;</description></item>',
  ]);
  const ordinary = page(
    `<article>${'<p>Umerov met Yoon in Seoul on Friday to discuss the war.</p>'.repeat(40)}</article>`,
  );
  // Item HTML in CDATA (one `<` per tag, no `&`), tables and a deep chain: the DOM path.
  const units = [];
  for (let k = 0; ; k++) {
    const unit = `<item><title>Item ${k}</title><link>https://x.example/${k}</link><description><![CDATA[${'<table><tr><td>a<td>b</table>'.repeat(10)}${nested(120, 'x')}]]></description></item>`;
    if (!readableInThread(encode(rss([...units, unit])))) break;
    units.push(unit);
  }
  const inThreadFeed = rss(units);

  const scanStarted = performance.now();
  const excess = markupExcess(deepPage);
  const scanMs = round(performance.now() - scanStarted, 2);

  const runs = {
    deepPage: await stall(() => readArticle({ bytes: encode(deepPage), name: 'deep.html' })),
    deepFeed: await stall(() => readFeed(encode(deepFeed), { label: 'deep.xml' })),
    ordinaryPage: await stall(() => readArticle({ bytes: encode(ordinary), name: 'ok.html' })),
    inThreadFeed: await stall(() => parseFeed(encode(inThreadFeed), { label: 'in-thread.xml' })),
    chain250: await stall(async () => parseHtml(page(nested(250, 'Belousov landed.')))),
  };
  const sizes = {
    deepPage: deepPage.length,
    deepFeed: deepFeed.length,
    ordinaryPage: ordinary.length,
    inThreadFeed: inThreadFeed.length,
    chain250: page(nested(250, 'Belousov landed.')).length,
  };
  const where = {
    deepPage: 'worker',
    deepFeed: 'worker',
    ordinaryPage: 'worker',
    inThreadFeed: 'main thread',
    chain250: 'reference',
  };
  printTable(
    `Hostile HTML: time to refuse or read, longest main-thread stall (target < ${HOSTILE_TARGET.stallMs} ms for the worker rows); pre-scan of the 2,000-deep page ${scanMs} ms (${excess?.found} levels); inThreadFeed: ${units.length} items, ${IN_THREAD.markup} tags at most`,
    Object.entries(runs).map(([name, r]) => ({
      input: name,
      KiB: round(sizes[name] / 1024),
      where: where[name],
      outcome: r.outcome,
      ms: r.ms,
      'stall ms': r.stallMs,
      [`<${HOSTILE_TARGET.stallMs}`]:
        where[name] === 'worker' ? mark(r.stallMs < HOSTILE_TARGET.stallMs) : '',
    })),
  );
  return {
    figures: { scanMs, ...runs },
    pass: {
      hostileStall: ['deepPage', 'deepFeed'].every((k) => runs[k].stallMs < HOSTILE_TARGET.stallMs),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const printTable = (title, rows) => {
    console.log(`\n${title}`);
    console.table(rows);
  };
  const result = await hostileBench({ printTable, mark: (ok) => (ok ? 'PASS' : 'MISS') });
  console.log(JSON.stringify(result));
}
