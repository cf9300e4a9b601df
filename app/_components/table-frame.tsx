/**
 * A table's frame: its own horizontal scroll on a narrow screen, so that the page never scrolls
 * sideways (390 px). Focusable, so that a keyboard can scroll it too (axe: scrollable-region-focusable).
 */
export function TableFrame({ children }: { children: React.ReactNode }) {
  return (
    <div
      tabIndex={0}
      className="overflow-x-auto rounded-lg bg-white ring-1 ring-gray-200 focus-visible:ring-2 focus-visible:ring-ink focus-visible:outline-none"
    >
      {children}
    </div>
  );
}
