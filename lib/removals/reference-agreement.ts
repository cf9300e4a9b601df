import { calibratedCohort, calibration } from '@/lib/matcher/calibration';
import { referenceGroups } from '@/lib/matcher/reference-groups';
import { referenceDescriptorRows } from './references';

/**
 * How a request's reference photos group (lib/matcher/reference-groups.ts), as 1-based photo
 * numbers in the page's order, largest group first. More than one group means the photos do not
 * all look like one face: the search will take each group separately, with thresholds made
 * stricter for each, and the person is asked to replace a photo that is not them or is poor.
 */
export async function referenceAgreement(requestId: string): Promise<number[][]> {
  const rows = await referenceDescriptorRows(requestId);
  if (rows.length < 2) return rows.length ? [[1]] : [];
  const cal = calibration();
  const groups = referenceGroups(
    rows.map((r) => r.descriptor),
    { agree: cal.referencesAgree, cohort: calibratedCohort() },
  );
  return groups.map((g) => g.map((i) => i + 1));
}
