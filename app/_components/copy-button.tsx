'use client';

import { useState } from 'react';

/** Copies `value` to the clipboard and says so (for keys and secrets shown once). */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed'); // no clipboard permission (or no secure context): the field stays selectable
    }
  }
  return (
    <button
      type="button"
      onClick={() => void copy()}
      className="rounded-md border border-gray-300 bg-white px-3 py-1 text-xs font-medium hover:bg-gray-50 focus-visible:ring-2 focus-visible:ring-ink"
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy it by hand' : label}</span>
    </button>
  );
}
