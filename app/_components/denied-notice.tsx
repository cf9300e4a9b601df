export async function DeniedNotice({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const { denied } = await searchParams;
  if (!denied) return null;
  return (
    <p role="alert" data-code="forbidden" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      Your account cannot open {denied}; you were brought to your own home instead.
    </p>
  );
}
