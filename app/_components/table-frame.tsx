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

/** A table's caption (for screen readers) and header row: one column heading per name. */
export function TableHead({ caption, columns }: { caption: string; columns: string[] }) {
  return (
    <>
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-gray-50">
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col" className="px-4 py-2">
              {c}
            </th>
          ))}
        </tr>
      </thead>
    </>
  );
}

/** The one row of an empty table, saying why it is empty. */
export function EmptyRow({ columns, children }: { columns: number; children: React.ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-4 py-3 text-gray-600">
        {children}
      </td>
    </tr>
  );
}
