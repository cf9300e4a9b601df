/** The app's error banner for a message (forms built on server actions use FormError instead). */
export function ErrorAlert({ message, code }: { message: string | null | undefined; code?: string }) {
  if (!message) return null;
  return (
    <div role="alert" data-code={code} className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {message}
    </div>
  );
}
