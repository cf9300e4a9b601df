/**
 * References that disagree (issue 16): one centroid of all of a person's references ("blind",
 * the matcher before lib/matcher/reference-groups.ts) against a centroid per group of references
 * that agree ("grouped", the matcher now), on real faces, per photo and with the label decision
 * (lib/matcher/label-decision.ts, mirrored in memory here: each label's template, its tier by its
 * size, the share of its photos near the probe; a label taken puts its near photos in its tier
 * and the rest in the possible tier; a photo possible only on its own goes with its label of several
 * photos). The gallery is lfw-train + lfw-strangers; each requester is a person of
 * lfw-train-extra with their extra photos as references, in three cases:
 *   natural:   the references as they are;
 *   old look:  plus the person's own lfw-train photo farthest from those references' centroid (a
 *              real photo of them that looks least like the others; it leaves the gallery);
 *   lookalike: plus the photo of another person nearest to one of the references, if within the
 *              live check's distance (lib/liveness/live-face.ts REFERENCE_MATCH: a photo that
 *              check would let through); the lookalike's photos count as strangers.
 * A third arm, "main", searches only the group of the first reference (the others left out, as
 * if the person were asked to replace them).
 * Distances are the product's cohort-normalised ones; thresholds are the product's for this
 * registry's size, for one probe (blind) or one per group (grouped). Recall counts the person's
 * gallery photos inside a tier; strangers are every other face inside it, and with the label
 * decision also every other person with a face inside it (as bench/registry-scale.ts does), and
 * the most stranger photos any one request put in the possible tier.
 *
 *   node --import tsx bench/reference-groups.ts [--threads 2]   (embeds the corpora once into bench/.cache)
 */
import { parseArgs } from 'node:util';
import { calibratedCohort, calibration, labelCalibration } from '@/lib/matcher/calibration';
import { cohortDistance, normalisedDistance } from '@/lib/matcher/cohort';
import { groupCentroids, l2 } from '@/lib/matcher/probes';
import { referenceGroups } from '@/lib/matcher/reference-groups';
import { FOLLOW_LABEL_FROM } from '@/lib/matcher/label-decision';
import { labelTiers, thresholdsFor, type Thresholds } from '@/lib/matcher/registry-thresholds';
import { REFERENCE_MATCH } from '@/lib/liveness/live-face';
import { corpusAvailable, embedCorpus, mainFace } from './face-corpus';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' } } });
if (!corpusAvailable()) {
  console.log('reference-groups: skipped, ../shared/data/faces is not present');
  process.exit(0);
}
const threads = Number(values.threads);
const [train, extra, strangers] = await Promise.all(
  ['lfw-train', 'lfw-train-extra', 'lfw-strangers'].map(async (c) => (await embedCorpus(c, threads)).entries),
);
const calibrated = calibratedCohort();
if (!calibrated) throw new Error('the calibrated matcher uses cohort-normalised distances; this bench expects them');
const cohort = calibrated;
const cal = calibration();
const gallery = [...train, ...strangers].flatMap((e) => {
  const d = mainFace(e);
  return d ? [{ person: e.person, d, c: cohortDistance(d, cohort) }] : [];
});
const labels = new Set(gallery.map((g) => g.person)).size;
const refsOf = new Map<string, number[][]>();
for (const e of extra) {
  const d = mainFace(e);
  if (d) refsOf.set(e.person, [...(refsOf.get(e.person) ?? []), d].slice(0, 5));
}

type Case = { person: string; refs: number[][]; excluded: Set<number>; strangerPerson?: string };
const nd = (probe: number[], probeC: number, i: number) => normalisedDistance(l2(probe, gallery[i].d), probeC, gallery[i].c, cohort.offset);

// Each label's photos, and its template (the mean descriptor) with the template's cohort distance.
const photosOf = new Map<string, number[]>();
gallery.forEach((g, i) => photosOf.set(g.person, [...(photosOf.get(g.person) ?? []), i]));
function templateOf(photos: number[]) {
  const t = new Array<number>(gallery[photos[0]].d.length).fill(0);
  for (const i of photos) gallery[i].d.forEach((v, j) => (t[j] += v / photos.length));
  return { t, c: cohortDistance(t, cohort) };
}
const templates = new Map([...photosOf].map(([person, photos]) => [person, { photos, ...templateOf(photos) }]));
const labelCal = labelCalibration();

/**
 * The tier each gallery photo reaches through its label (label-decision.ts, in memory): a label
 * whose template is within its size's tier for some probe, and of which at least minShare of the
 * photos lie within shareDistance of that probe, puts those photos in its tier and the rest in the
 * possible tier. 2 = shown, 1 = possible. `follows`: the photos of labels of several photos that no
 * probe took, which are not possible matches on their own either (find-matches.ts).
 */
function labelTierOf(probes: number[][], probeC: number[], t: Thresholds, excluded: Set<number>): { tiers: Map<number, number>; follows: Set<number> } {
  const out = new Map<number, number>();
  const follows = new Set<number>();
  for (const label of templates.values()) {
    const touched = label.photos.some((i) => excluded.has(i));
    const photos = touched ? label.photos.filter((i) => !excluded.has(i)) : label.photos;
    if (!photos.length) continue;
    const { t: template, c } = touched ? templateOf(photos) : label;
    const tiers = labelTiers(t, photos.length);
    let taken = false;
    probes.forEach((p, k) => {
      const distance = normalisedDistance(l2(p, template), probeC[k], c, cohort.offset);
      if (!(distance < tiers.possible)) return;
      const near = photos.map((i) => nd(p, probeC[k], i) < labelCal.shareDistance);
      if (photos.length >= 2 && near.filter(Boolean).length / photos.length < labelCal.minShare) return;
      const tier = distance < tiers.shown ? 2 : 1;
      taken = true;
      photos.forEach((i, j) => out.set(i, Math.max(out.get(i) ?? 0, near[j] ? tier : 1)));
    });
    if (!taken && photos.length >= FOLLOW_LABEL_FROM) for (const i of photos) follows.add(i);
  }
  return { tiers: out, follows };
}

function cases(kind: 'natural' | 'old look' | 'lookalike'): Case[] {
  const out: Case[] = [];
  for (const [person, refs] of refsOf) {
    if (kind === 'natural') {
      out.push({ person, refs, excluded: new Set() });
    } else if (kind === 'old look') {
      if (refs.length > 4) continue;
      const [centre] = groupCentroids(refs, [refs.map((_, i) => i)]);
      let far = -1;
      gallery.forEach((g, i) => {
        if (g.person === person && (far < 0 || l2(g.d, centre) > l2(gallery[far].d, centre))) far = i;
      });
      if (far >= 0) out.push({ person, refs: [...refs, gallery[far].d], excluded: new Set([far]) });
    } else {
      if (refs.length > 4) continue;
      let best = -1;
      let bestD = REFERENCE_MATCH;
      gallery.forEach((g, i) => {
        if (g.person === person) return;
        const d = Math.min(...refs.map((r) => l2(r, g.d)));
        if (d <= bestD) [best, bestD] = [i, d];
      });
      if (best >= 0) out.push({ person, refs: [...refs, gallery[best].d], excluded: new Set([best]), strangerPerson: gallery[best].person });
    }
  }
  return out;
}

function run(kind: 'natural' | 'old look' | 'lookalike') {
  const cs = cases(kind);
  const cap = cal.tiers;
  const arm0 = () => ({
    split: 0,
    tp: { shown: 0, possible: 0 },
    fp: { shown: 0, possible: 0 },
    own: 0,
    labels: { tp: { shown: 0, possible: 0 }, fp: { shown: 0, possible: 0 }, people: { shown: 0, possible: 0 }, mostPossible: 0 },
  });
  const arms = { blind: arm0(), grouped: arm0(), main: arm0() };
  for (const c of cs) {
    const groups = referenceGroups(c.refs, { agree: cal.referencesAgree, cohort });
    for (const arm of ['blind', 'grouped', 'main'] as const) {
      const g = arm === 'blind' ? [c.refs.map((_, i) => i)] : arm === 'grouped' ? groups : [groups.find((x) => x.includes(0))!];
      const probes = groupCentroids(c.refs, g);
      const probeC = probes.map((p) => cohortDistance(p, cohort));
      const all = thresholdsFor(labelCal, { faces: gallery.length * probes.length, labels: labels * probes.length }, cap);
      const t = all.photo;
      const byLabel = labelTierOf(probes, probeC, all, c.excluded);
      const a = arms[arm];
      if (groups.length > 1) a.split++;
      // With the label decision, strangers counted as people too (a taken lookalike label is one stranger with many photos).
      const strangers = { shown: new Set<string>(), possible: new Set<string>() };
      const possibleBefore = a.labels.fp.possible;
      gallery.forEach((x, i) => {
        if (c.excluded.has(i)) return;
        const mine = x.person === c.person;
        if (mine) a.own++;
        const d = Math.min(...probes.map((p, k) => nd(p, probeC[k], i)));
        const photoTier = d < t.shown ? 2 : d < t.possible ? 1 : 0;
        const withLabel = Math.max(photoTier === 1 && byLabel.follows.has(i) ? 0 : photoTier, byLabel.tiers.get(i) ?? 0);
        for (const [tier, level] of [
          ['shown', 2],
          ['possible', 1],
        ] as const) {
          if (photoTier >= level) (mine ? a.tp : a.fp)[tier]++;
          if (withLabel >= level) (mine ? a.labels.tp : a.labels.fp)[tier]++;
          if (withLabel >= level && !mine) strangers[tier].add(x.person);
        }
      });
      a.labels.people.shown += strangers.shown.size;
      a.labels.people.possible += strangers.possible.size;
      a.labels.mostPossible = Math.max(a.labels.mostPossible, a.labels.fp.possible - possibleBefore);
    }
  }
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  const report = (a: (typeof arms)['blind']) => ({
    requestsSplit: a.split,
    recall: { shown: r4(a.tp.shown / Math.max(1, a.own)), possible: r4(a.tp.possible / Math.max(1, a.own)) },
    strangersPerRequest: { shown: r4(a.fp.shown / Math.max(1, cs.length)), possible: r4(a.fp.possible / Math.max(1, cs.length)) },
    withLabels: {
      recall: { shown: r4(a.labels.tp.shown / Math.max(1, a.own)), possible: r4(a.labels.tp.possible / Math.max(1, a.own)) },
      strangersPerRequest: { shown: r4(a.labels.fp.shown / Math.max(1, cs.length)), possible: r4(a.labels.fp.possible / Math.max(1, cs.length)) },
      strangerPeoplePerRequest: {
        shown: r4(a.labels.people.shown / Math.max(1, cs.length)),
        possible: r4(a.labels.people.possible / Math.max(1, cs.length)),
      },
      mostStrangersPossible: a.labels.mostPossible,
    },
  });
  console.log(JSON.stringify({ case: kind, requests: cs.length, blind: report(arms.blind), grouped: report(arms.grouped), main: report(arms.main) }));
}

console.log(JSON.stringify({ agree: cal.referencesAgree, tiers: cal.tiers, gallery: gallery.length, labels, requesters: refsOf.size }));
for (const kind of ['natural', 'old look', 'lookalike'] as const) run(kind);
