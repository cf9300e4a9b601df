import fs from 'node:fs';

/**
 * Transparent huge pages for the large typed arrays of a removal (model files read from their
 * blobs, step matrices unpacked, files encoded for storing: some 400 MB at 100,000 × 1,000). On the
 * machines here the first touch of fresh memory in 4 KB pages cost 0.55-0.62 s per 190 MB, in 2 MB
 * pages 0.04 s once the kernel had them free (bench/README.md, "Huge pages"). Node.js allocates
 * array buffers with glibc's malloc, which asks the kernel for huge pages only when
 * `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` (glibc 2.35 and later) and the kernel's mode is `madvise`
 * or `always`. glibc reads the variable when the process starts, so `npm start`, `npm run serve`
 * and `npm run worker` set it when it is unset; this only reports whether it is in effect.
 */
export type HugePages = { requested: boolean; kernel: string | null };

/** Whether these tunables (GLIBC_TUNABLES's value; env().glibcTunables) ask for huge pages, and the kernel's mode. */
export function hugePages(tunables: string | undefined): HugePages {
  const requested = /(^|:)glibc\.malloc\.hugetlb=[12](:|$)/.test(tunables ?? '');
  let kernel: string | null = null;
  try {
    kernel = /\[(\w+)\]/.exec(fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? null;
  } catch {
    // Not Linux, or no THP support: nothing to report.
  }
  return { requested, kernel };
}
