import Link from 'next/link';

/** The side navigation of a console (partner, compliance): a heading and its sections. */
export function ConsoleNav({ label, heading, links }: { label: string; heading: string | undefined; links: readonly (readonly [string, string])[] }) {
  return (
    <nav aria-label={label} className="space-y-1 text-sm">
      <p className="mb-2 font-semibold">{heading}</p>
      {links.map(([href, text]) => (
        <Link key={href} href={href} className="block rounded px-2 py-1 hover:bg-gray-100">
          {text}
        </Link>
      ))}
    </nav>
  );
}
