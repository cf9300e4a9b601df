/** The consent text a person agrees to before any photo of theirs is processed; its version is stored with the request. */
export const CONSENT_VERSION = '2026-11-30';

export const CONSENT_POINTS = [
  'Purpose: to find photos of your face in the training sets that companies have registered with forgetme, and to have them ' +
    "removed from those companies' face-recognition models.",
  'What we process: the photos you upload (1 to 5) and, from each, a list of 128 numbers describing your face (a face descriptor). ' +
    'This is biometric data; we keep it encrypted.',
  'Only your own face: before searching, you take a short live capture with your camera. Its pictures are checked on our server and not kept; ' +
    'we keep the descriptor of your face from it, encrypted, with your photos. To stop one person searching from several accounts, we also keep ' +
    "that descriptor for 30 days after it was taken, encrypted, only to compare it with other accounts' live captures; then it is deleted, " +
    'and at once if you delete your account.',
  'Who sees it: nobody at the partner companies sees your photos or descriptors. They learn only which of their own images are to be removed.',
  'How long: your photos and descriptors are deleted as soon as your request is complete or withdrawn, or after 30 days without ' +
    'activity. Your certificate keeps only fingerprints (digests) of the removed images, never the images or your face.',
  'Withdrawal: you can withdraw this consent and the request at any time before removal starts; everything is then deleted.',
] as const;

/** How many searches one account may start per day (abuse resistance: the matcher is not a face search engine). */
export const DAILY_SEARCHES = 5;
/** Requests idle this long are withdrawn and their biometric data deleted. */
export const IDLE_DAYS = 30;
export const MAX_REFERENCES = 5;
