/**
 * Matcher search latency and recall at scale: fills a fresh database with N face-like descriptors
 * (identities of ~10 faces around random centres, generated inside the database), builds the HNSW
 * index, then times findMatches for queries near random identities and measures the index's
 * recall inside the possible tier against an exact scan.
 *
 * With --cohort, the search is the product's cohort-normalised one (lib/matcher/cohort.ts): a
 * cohort of 1,000 further synthetic faces drawn like the stored ones, k = 10 (1 %, as in the
 * calibrated matcher), every stored face's cohort distance computed in the database before the
 * timing; the exact scan then applies the normalised distance to every row. With --labels, every
 * identity is also a label whose template the search decides on (lib/matcher/label-decision.ts).
 * The recall checks (an exact scan of every face each) run after all the timed searches, not
 * between them (since 2026-12-02; figures before that date had them between the first 50).
 *
 * The vector indexes are dropped before the fill and built after it from the migrations' own
 * definitions, in one transaction with `--maintenance-work-mem` (pgvector builds an HNSW graph in
 * memory while it fits; past that it inserts tuple by tuple, several times slower). With `--keep
 * NAME` (PostgreSQL) the filled and indexed database is kept under that name and the next run with
 * the same name and options only searches it.
 *
 *   node --import tsx bench/matcher-search.ts --driver pglite --faces 100000 [--cohort]
 *   node --import tsx bench/matcher-search.ts --driver postgres --url postgres://postgres@127.0.0.1:5432/postgres --faces 1000000 \
 *     [--cohort] [--labels] [--keep NAME] [--maintenance-work-mem 2GB]
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase, setDbHandleForTests, type DbHandle } from '@/db/client';
import { keptDatabase } from '@/lib/testing/scratch-database';
import { openTestDatabase } from '@/lib/testing/test-db';
import { seedPartner } from '@/db/seed/factories';
import { cohortDistance, cohortOffset, type Cohort } from '@/lib/matcher/cohort';
import { findMatches } from '@/lib/matcher/find-matches';
import { refreshAllLabelTemplates } from '@/lib/matcher/label-templates';
import type { Thresholds } from '@/lib/matcher/registry-thresholds';
import { setUpTestEnvironment } from '@/lib/testing/test-env';

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'pglite' },
    url: { type: 'string' },
    faces: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    cohort: { type: 'boolean', default: false },
    labels: { type: 'boolean', default: false },
    keep: { type: 'string' },
    'maintenance-work-mem': { type: 'string', default: '2GB' },
  },
});
setUpTestEnvironment();
const N = Number(values.faces);
const Q = Number(values.queries);
const MODEL = 'faceapi-128@1.7.15';

const ADMIN_URL = values.url ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MWM = values['maintenance-work-mem'];
if (!/^\d+(kB|MB|GB)$/.test(MWM)) throw new Error(`--maintenance-work-mem: a size such as 2GB, not ${MWM}`);
if (values.keep && values.driver !== 'postgres') throw new Error('--keep needs --driver postgres');
const handle: DbHandle = values.keep
  ? await openDatabase({ driver: 'postgres', url: (await keptDatabase(ADMIN_URL, values.keep)).url })
  : await openTestDatabase(values.driver === 'postgres' ? 'postgres' : 'pglite', ADMIN_URL);
setDbHandleForTests(handle);
const db = handle.db;
const run = (q: string) => db.execute(sql.raw(q));
/** A raw statement's rows, typed by the caller (the drivers' result types differ; both carry `rows`). */
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
const rows = async <T>(q: string) => rowsOf<T>(await run(q));
/** What a filled database holds, so that a kept one is reused only for the same run. */
const shape = JSON.stringify({ faces: N, cohort: values.cohort, labels: values.labels });
type Built = { fillSeconds: number; cohortSeconds: number; indexSeconds: number; labelSeconds: number; templateIndexSeconds: number };

/** Builds the vector indexes from their migration definitions, with enough memory for the graph. */
async function buildIndexes(defs: string[]): Promise<number> {
  const t = performance.now();
  await db.transaction(async (tx) => {
    if (handle.driver === 'postgres') await tx.execute(sql.raw(`set local maintenance_work_mem = '${MWM}'`));
    for (const def of defs) await tx.execute(sql.raw(def));
  });
  return (performance.now() - t) / 1000;
}

/** Fills the registry (identities of 10 faces), their cohort distances, indexes and label templates. */
async function fill(): Promise<Built> {
  const { organization } = await seedPartner();
  const [{ id: datasetId }] = await rows<{ id: string }>(`insert into datasets (organization_id, name) values ('${organization.id}', 'bench') returning id`);
  let t = performance.now();
  // The indexes are rebuilt after the fill, exactly as the migrations define them.
  const defs = async (names: string[]) =>
    (await rows<{ indexdef: string }>(`select indexdef from pg_indexes where indexname in (${names.map((n) => `'${n}'`).join(', ')})`)).map((r) => r.indexdef);
  const faceIndexes = await defs(['faces_embedding_hnsw', 'faces_model_cohort_distance_idx']);
  const templateIndexes = await defs(['label_templates_hnsw']);
  for (const name of ['faces_embedding_hnsw', 'faces_model_cohort_distance_idx', 'label_templates_hnsw']) await run(`drop index ${name}`);
  await run(
    'create table bench_centres as select i, array(select (random() - 0.5) * 0.25 + 0 * i from generate_series(1, 128)) as c ' +
      `from generate_series(0, ${identities - 1}) i`,
  );
  await run('create unique index on bench_centres (i)');
  for (let start = 0; start < N; start += 100_000) {
    const end = Math.min(N, start + 100_000);
    await run(`insert into dataset_items (dataset_id, external_id, label, sha256, status)
      select '${datasetId}', 'item-' || g, 'person-' || (g / 10), md5(g::text) || md5((g + 1)::text), 'embedded' from generate_series(${start}, ${end - 1}) g`);
    await run(`insert into faces (item_id, dataset_id, face_index, box, score, embedding, embedding_model)
      select di.id, di.dataset_id, 0, '{0,0,100,100}', 0.99,
        (select array_agg(c.c[j] + (random() - 0.5) * 0.07) from generate_series(1, 128) j)::vector, '${MODEL}'
      from dataset_items di join bench_centres c on c.i = (split_part(di.external_id, '-', 2)::int / 10)
      where di.dataset_id = '${datasetId}' and split_part(di.external_id, '-', 2)::int between ${start} and ${end - 1}`);
  }
  const fillSeconds = (performance.now() - t) / 1000;
  let cohortSeconds = 0;
  if (values.cohort) {
    t = performance.now();
    await run(
      'create table bench_cohort as ' +
        'select g, array(select (random() - 0.5) * 0.25 + (random() - 0.5) * 0.07 + 0 * g from generate_series(1, 128) j)::vector as v ' +
        'from generate_series(1, 1000) g',
    );
    cohort = await readCohort();
    // Before the indexes exist: an indexed column's update would insert every row into the HNSW index again.
    await run(`update faces f set cohort_distance = (select avg(d) from (select f.embedding <-> c.v as d from bench_cohort c order by 1 limit 10) s)`);
    cohortSeconds = (performance.now() - t) / 1000;
  }
  const indexSeconds = await buildIndexes(faceIndexes);
  await run(`analyze faces`);
  await run(`analyze dataset_items`); // as autovacuum would (it is off on this machine): the label path reads it
  // With --labels, the identity-level decision too (label-decision.ts): each identity is a label of
  // 10 faces, its template kept as the product keeps it, and searched through its own HNSW index
  // (built after the templates, as the faces' index after the faces).
  let labelSeconds = 0;
  t = performance.now();
  if (values.labels) {
    await refreshAllLabelTemplates(db, datasetId, cohort && { model: MODEL, cohort });
    labelSeconds = (performance.now() - t) / 1000;
  }
  const templateIndexSeconds = await buildIndexes(templateIndexes);
  await run(`analyze label_templates`);
  return { fillSeconds, cohortSeconds, indexSeconds, labelSeconds, templateIndexSeconds };
}

/** The server's memory settings and what the tables and vector indexes take on disk (all read through the buffers or the OS's cache). */
async function memory() {
  const [m] = await rows<Record<string, string>>(
    `select current_setting('shared_buffers') as "sharedBuffers", '${MWM}' as "maintenanceWorkMem",
      pg_size_pretty(pg_table_size('faces')) as "facesTable", pg_size_pretty(pg_relation_size('faces_embedding_hnsw')) as "facesHnsw",
      pg_size_pretty(pg_table_size('label_templates')) as "templatesTable", pg_size_pretty(pg_relation_size('label_templates_hnsw')) as "templatesHnsw"`,
  );
  return m;
}

/** The bench's cohort, as stored. */
async function readCohort(): Promise<Cohort> {
  const vs = await rows<{ v: string }>(`select v::text from bench_cohort order by g`);
  const vectors = new Float32Array(vs.flatMap((r) => JSON.parse(r.v) as number[]));
  return { vectors, k: 10, offset: cohortOffset(vectors, 10) };
}

const identities = Math.ceil(N / 10);
let cohort: Cohort | undefined;

try {
  await run(`create table if not exists bench_run (shape text not null, built jsonb)`);
  const [kept] = await rows<{ shape: string; built: Built | null }>(`select shape, built from bench_run`);
  if (kept && (kept.shape !== shape || !kept.built)) {
    throw new Error(`database ${values.keep} holds another run (${kept.shape}${kept.built ? '' : ', unfinished'}): drop it or name another`);
  }
  let built: Built;
  if (kept?.built) {
    built = kept.built;
    if (values.cohort) cohort = await readCohort();
  } else {
    await run(`insert into bench_run (shape) values ('${shape}')`);
    built = await fill();
    await run(`update bench_run set built = '${JSON.stringify(built)}'`);
  }
  const { fillSeconds, cohortSeconds, indexSeconds, labelSeconds, templateIndexSeconds } = built;

  const tiers = { shown: 0.3, possible: 0.4 };
  const thresholds: Thresholds = {
    registry: { faces: N, labels: identities },
    photo: tiers,
    label: [{ size: 1, ...tiers }],
    rates: { photo: tiers, label: tiers, largeLabel: tiers },
    largeLabel: { photos: 3, chance: 0.01 },
    expectedStrangers: tiers,
    extrapolated: false,
    // A line far above every distance: the fixed tiers (the cap) hold for a label of any size.
    lines: [{ size: 1, line: { intercept: 10, slope: 0.1 } }],
    cap: tiers,
  };
  const labels = values.labels ? { thresholds, shareDistance: 0.5, minShare: 0.5 } : undefined;
  const latencies: number[] = [];
  let lastRef = '';
  let recallHits = 0;
  let recallTotal = 0;
  let labelsTaken = 0;
  // The timed searches first, one after another; the recall checks after them, so that no exact
  // scan of every face runs between two timed searches.
  const checked: { ref: number[]; found: Set<number> }[] = [];
  for (let q = 0; q < Q; q++) {
    const ident = Math.floor(Math.random() * identities);
    const [{ c }] = await rows<{ c: string }>(
      `select (select array_agg(c[j] + (random() - 0.5) * 0.07) from generate_series(1, 128) j)::text as c from bench_centres where i = ${ident}`,
    );
    const ref = JSON.parse(c.replace('{', '[').replace('}', ']')) as number[];
    lastRef = JSON.stringify(ref);
    const s = performance.now();
    const found = await findMatches({ references: [ref], model: MODEL, tiers, cohort, labels });
    latencies.push(performance.now() - s);
    labelsTaken += found.reduce((n, d) => n + d.labels.length, 0);
    if (q < 50) checked.push({ ref, found: new Set(found.flatMap((d) => [...d.shown, ...d.possible]).map((m) => Number(m.faceId))) });
  }
  for (const { ref, found } of checked) {
    // Recall of the product's search: of the faces truly inside the possible tier (exact scan), how many it returned.
    const literal = JSON.stringify(ref);
    const exact = await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local enable_indexscan = off`));
      await tx.execute(sql.raw(`set local enable_bitmapscan = off`));
      const distance = cohort
        ? `(embedding <-> '${literal}') - (${cohortDistance(ref, cohort)} + cohort_distance) / 2 + ${cohort.offset}`
        : `embedding <-> '${literal}'`;
      return rowsOf<{ id: number }>(await tx.execute(sql.raw(`select id from faces where not removed and ${distance} < ${tiers.possible}`)));
    });
    recallHits += exact.filter((r) => found.has(Number(r.id))).length;
    recallTotal += exact.length;
  }
  latencies.sort((a, b) => a - b);
  const plan = await rows<{ 'QUERY PLAN': string }>(
    `explain select id from faces where not removed and embedding_model = '${MODEL}' order by embedding <-> '${lastRef}' limit 200`,
  );
  console.log(
    JSON.stringify(
      {
        driver: handle.driver,
        faces: N,
        fillSeconds: Math.round(fillSeconds),
        indexSeconds: Math.round(indexSeconds),
        labels: values.labels
          ? { labels: identities, templateSeconds: Math.round(labelSeconds), templateIndexSeconds: Math.round(templateIndexSeconds) }
          : 'per photo only',
        memory: handle.driver === 'postgres' ? await memory() : 'PGlite, in this process',
        distance: cohort
          ? { normalised: 'cohort', cohortFaces: cohort.vectors.length / 128, k: cohort.k, offset: cohort.offset, cohortSeconds: Math.round(cohortSeconds) }
          : 'raw',
        queries: Q,
        latencyMs: {
          p50: Math.round(latencies[Math.floor(Q * 0.5)] * 10) / 10,
          p95: Math.round(latencies[Math.floor(Q * 0.95)] * 10) / 10,
          max: Math.round(latencies[Q - 1]),
        },
        recallInPossibleTier: recallHits / recallTotal,
        trueMatchesPerQuery: recallTotal / checked.length,
        labelsTakenPerQuery: labelsTaken / Q,
        usesIndex: plan.some((p) => /hnsw/.test(p['QUERY PLAN'])),
      },
      null,
      2,
    ),
  );
} finally {
  setDbHandleForTests(undefined);
  await handle.close();
}
