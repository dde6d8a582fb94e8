import type { ColdResult } from './cold-import.ts';
import type { EndToEndResult } from './end-to-end.ts';
import type { WarmResult } from './warm.ts';

/** The goals, as the table and bench/results.json state them. */
export const GOALS = {
  coldRatio: 1.25,
  warmP50Ms: 0.3,
  warmP99Ms: 1,
  handlerShare: 0.05,
  cacheRatio: 1.1,
};

interface Results {
  node: string;
  seconds: number;
  cold: ColdResult[];
  levers: Partial<ColdResult>[];
  warm: WarmResult[];
  endToEnd: EndToEndResult;
}

const kb = (bytes: number | undefined) => (bytes === undefined ? '' : (bytes / 1024).toFixed(0));
const ms = (value: number | undefined) => (value === undefined ? '' : value.toFixed(value < 10 ? 2 : 1));
const x = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(2)}x`);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');

const COLUMNS = ['', 'raw KB', 'gzip KB', 'p50 ms', 'p90/p99 ms', 'ratio', 'cpu ratio', 'goal', 'met'];
const WIDTHS = [46, 7, 8, 9, 11, 8, 10, 10, 4];

const line = (cells: string[]) =>
  cells.map((cell, index) => (index === 0 ? cell.padEnd(WIDTHS[0]!) : cell.padStart(WIDTHS[index]!))).join(' ');

/** One table: the cold imports, the levers, the warm pipeline and the end-to-end figures, each row with its goal. */
export const renderTable = ({ node, cold, levers, warm, endToEnd }: Results): string => {
  const rows: string[][] = [];
  const section = (title: string) => rows.push([`-- ${title}`, ...COLUMNS.slice(1).map(() => '')]);
  section(`cold import, ${cold[0]?.runs ?? 0} fresh processes each (p90 column: p90)`);
  for (const row of cold) {
    const goal = row.ratio === undefined ? '' : `<= ${GOALS.coldRatio}x`;
    rows.push([
      row.name,
      kb(row.rawBytes),
      kb(row.gzipBytes),
      ms(row.importMedianMs),
      ms(row.importP90Ms),
      x(row.ratio),
      x(row.cpuRatio),
      goal,
      row.ratio === undefined ? '' : verdict(row.ratio <= GOALS.coldRatio),
    ]);
  }
  section(`levers, ${levers[0]?.runs ?? 0} fresh processes each (ratio to the first row of its kind)`);
  for (const row of levers) {
    const stack = row.errorStackMedianMs === undefined ? '' : ` (failing call ${ms(row.errorStackMedianMs)} ms)`;
    rows.push([
      `${row.name}${stack}`,
      kb(row.rawBytes),
      kb(row.gzipBytes),
      ms(row.importMedianMs),
      '',
      x(row.ratio),
      x(row.cpuRatio),
      '',
      '',
    ]);
  }
  section('warm, in process, in-memory ports (p90/p99 column: p99)');
  for (const row of warm) {
    const ok = row.p50Ms <= GOALS.warmP50Ms && row.p99Ms <= GOALS.warmP99Ms;
    rows.push([
      `${row.scenario} (n=${row.n})`,
      '',
      '',
      ms(row.p50Ms),
      ms(row.p99Ms),
      '',
      '',
      `${GOALS.warmP50Ms}/${GOALS.warmP99Ms}`,
      verdict(ok),
    ]);
  }
  const e2e = endToEnd;
  section(`end to end, local API, fake Fetcher and DynamoDB Local on loopback, ${e2e.creates} creates`);
  rows.push(['create, wall time at the client', '', '', ms(e2e.wallMedianMs), '', '', '', '', '']);
  rows.push(['create, inside the handler', '', '', ms(e2e.handlerMedianMs), '', '', '', '', '']);
  rows.push(['same requests made directly (the floor)', '', '', ms(e2e.floorMedianMs), '', '', '', '', '']);
  rows.push([
    'handler share: (handler - floor) / wall',
    '',
    '',
    '',
    '',
    pct(e2e.handlerShare),
    '',
    `<= ${pct(GOALS.handlerShare)}`,
    verdict(e2e.handlerShare <= GOALS.handlerShare),
  ]);
  rows.push(['  with the local API hop: (wall - floor) / wall', '', '', '', '', pct(e2e.outsideFloorShare), '', '', '']);
  rows.push([
    `create, ${e2e.seeded} connections cached`,
    '',
    '',
    ms(e2e.fullCacheMedianMs),
    '',
    x(e2e.cacheRatio),
    '',
    `<= ${GOALS.cacheRatio}x`,
    verdict(e2e.cacheRatio <= GOALS.cacheRatio),
  ]);
  rows.push(['create, empty cache', '', '', ms(e2e.emptyCacheMedianMs), '', '', '', '', '']);
  return [
    `node ${node}; ratios are of medians from the same rounds; cpu ratio: of the import's CPU time`,
    '',
    line(COLUMNS),
    ...rows.map(line),
  ].join('\n');
};
