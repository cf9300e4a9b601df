import type { Metadata } from 'next';
import { matchingFacts, type Rate } from '@/lib/matcher/matching-facts';
import { LARGE_LABEL } from '@/lib/matcher/registry-thresholds';
import { RecallChart } from './recall-chart';

export const metadata: Metadata = { title: 'How matching works' };

const pct = (x: number) => `${(100 * x).toFixed(x > 0.995 || x < 0.005 ? 1 : 0)} %`;
const rate = (r: Rate) => `${pct(r.value)} (95 % interval ${pct(r.low)} to ${pct(r.high)}, ${r.n} people)`;
const num = (x: number) => x.toLocaleString('en-GB');
const sci = (x: number) => x.toExponential(1).replace('e', ' × 10^');

/** Public: the thresholds in force for today's registry, and the error rates behind them, with how they were measured. */
export default async function HowMatchingWorksPage() {
  const f = await matchingFacts();
  const t = f.thresholds;
  return (
    <article className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">How matching works</h1>
      <section aria-labelledby="plain" className="space-y-3 text-gray-800">
        <h2 id="plain" className="text-lg font-semibold">
          In plain words
        </h2>
        <p>
          When you search, forgetme compares your face with every face that partner companies have registered: today {num(f.registry.faces)} faces of{' '}
          {num(f.registry.labels)} labelled people in {num(f.registry.datasets)} training sets. Two faces are never certainly the same person; the matcher
          decides with thresholds, and the more faces it searches, the more strangers could look like you. So the thresholds tighten as the registry grows.
        </p>
        <p>
          Photos we are confident are you are <strong>shown</strong> to you to confirm. Photos that are probably you are <strong>possible</strong> matches:
          never shown (they might be a stranger&apos;s), removed only if you ask. At the thresholds in force, a search can expect at most about{' '}
          <strong>{t.expectedStrangers.shown.toFixed(3)}</strong> strangers&apos; photos among the shown photos and{' '}
          <strong>{t.expectedStrangers.possible.toFixed(2)}</strong> among the possible ones. These count photos, not people: a stranger whose training-set
          label were taken as yours would bring every photo under it, so the more photos a label holds, the nearer to you it must be before it is taken. An
          average does not say how many at once: so a label of more than {t.largeLabel.photos} photos must also be near enough that a search takes any
          stranger&apos;s label that large at most once in {num(Math.round(1 / t.largeLabel.chance))} searches. That chance is set for the registry&apos;s size:
          as rare as 1 in {num(Math.round(1 / LARGE_LABEL.strictest))}, unless that would miss more than {Math.round(LARGE_LABEL.missAtMost * 100)} in 100
          people&apos;s own labels of {f.largeLabelGuard} photos (by the calibration), and never more often than 1 in {num(Math.round(1 / LARGE_LABEL.loosest))}
          .
        </p>
        <p>
          Training sets label each photo with the person it shows. A label with many photos of you is found far more surely than any one photo: forgetme
          compares you with the average of the label&apos;s photos, and takes the label only if most of its photos match you too (a lookalike matches a few of
          them). A photo that is only a possible match on its own goes with its label: if the label holds several photos and is not taken, the photo is not
          either (it is a lookalike&apos;s, or one of a label that mixes many people). A photo near enough to be shown is shown whatever its label.
        </p>
        <p>
          Your photos are averaged into one face when they look alike. When they do not (photos taken decades apart, or a poor photo), each group that looks
          alike is searched on its own, and the thresholds are made stricter for each extra group, so that the strangers a search can expect stay as above. You
          are told which photos disagree, and can replace one.
        </p>
      </section>

      <section aria-labelledby="found" className="space-y-3">
        <h2 id="found" className="text-lg font-semibold">
          How often your own photos are found
        </h2>
        <p className="text-gray-700">
          Measured on people whose labels are in the calibration data (news photographs from LFW and the AT&amp;T faces), with up to three reference photos, at
          today&apos;s thresholds. When your label is found, all of its photos are taken with it (those that look least like you as possible matches).
        </p>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b">
              <th className="py-1">Your photos in a training set</th>
              <th className="py-1">Found and shown</th>
              <th className="py-1">Found (shown or possible)</th>
            </tr>
          </thead>
          <tbody>
            {f.found.map((r) => (
              <tr key={r.size} className="border-b border-gray-100">
                <td className="py-1">{r.size === 1 ? '1 photo' : `${r.size} photos`}</td>
                <td className="py-1">{rate(r.shown)}</td>
                <td className="py-1">{rate(r.possible)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <RecallChart rows={f.byRegistrySize} current={f.registry.faces} />
      </section>

      <section aria-labelledby="thresholds" className="space-y-3">
        <h2 id="thresholds" className="text-lg font-semibold">
          The thresholds in force
        </h2>
        <p className="text-gray-700">
          Distances between face descriptors, normalised against a public cohort of strangers (smaller is more alike). Each tier&apos;s expected strangers is
          split evenly between single photos and labels: each photo comparison may be a false match at most {sci(t.rates.photo.shown)} (shown) and{' '}
          {sci(t.rates.photo.possible)} (possible); a label of n photos at most {sci(t.rates.label.shown)} and {sci(t.rates.label.possible)} divided by n, so
          that every label, whatever its size, may bring as many strangers&apos; photos as any other, and a label of more than {t.largeLabel.photos} photos at
          most {sci(t.rates.largeLabel.possible)} in either tier where that is stricter.
        </p>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b">
              <th className="py-1">Decided on</th>
              <th className="py-1">Shown below</th>
              <th className="py-1">Possible below</th>
            </tr>
          </thead>
          <tbody>
            <tr className="border-b border-gray-100">
              <td className="py-1">a single photo</td>
              <td className="py-1">{t.photo.shown.toFixed(4)}</td>
              <td className="py-1">{t.photo.possible.toFixed(4)}</td>
            </tr>
            {t.label.map((l) => (
              <tr key={l.size} className="border-b border-gray-100">
                <td className="py-1">a label of {l.size === 1 ? '1 photo' : `${num(l.size)} photos`}</td>
                <td className="py-1">{l.shown.toFixed(4)}</td>
                <td className="py-1">{l.possible.toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="measured" className="space-y-3 text-gray-800">
        <h2 id="measured" className="text-lg font-semibold">
          How these numbers were measured, and their limits
        </h2>
        <p>
          Calibrated on {f.calibration.date}: {f.calibration.source}. For labels of each size, every person&apos;s references were compared with every other
          person&apos;s label ({num(f.calibration.sizes[0].pairs)} pairs of different people for single photos). Counting can show a false-match rate down to
          about {sci(f.calibration.sizes[0].countedDownTo)}; a registry of millions needs rates far lower.
          {t.extrapolated ? ' The rates in force today are below what could be counted, so they come from a model: ' : ' Below that, rates come from a model: '}
          the distances of different people, plotted against the normal distribution&apos;s quantiles, lie on a straight line in the measured tail, and the line
          is carried on, from its conservative side: of 200 resamplings of the people, 95 % would give a looser threshold than the one used. Where both exist,
          the line&apos;s predictions and the counts are printed side by side by <code>bench/label-evidence.ts</code> (figures in <code>bench/README.md</code>).
        </p>
        <p>
          Limits: the calibration people are public figures photographed by the press, not the people in a partner&apos;s training set; labels of 50 or more
          photos rest on only{' '}
          {f.calibration.sizes
            .filter((s) => s.size >= 50)
            .map((s) => s.labels)
            .join(' and ')}{' '}
          people; a face the descriptor has never seen the like of (age, lighting, a mask) may be found less often; and a registry whose labels are wrong (one
          label, several people) weakens the label evidence. A shown photo that is not you: leave it unticked on your review page, and it is not removed.
        </p>
      </section>
    </article>
  );
}
