import type { ActionState } from '@/lib/http/action-state';

export function Field(props: {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  state: ActionState;
  defaultValue?: string;
  hint?: string;
  required?: boolean;
  /** The input's id, when two forms on one page have a field of the same name. */
  id?: string;
}) {
  const error = props.state?.error?.fields?.[props.name];
  const id = props.id ?? `field-${props.name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {props.label}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        defaultValue={props.state?.values?.[props.name] ?? props.defaultValue}
        required={props.required ?? true}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : props.hint ? `${id}-hint` : undefined}
        className="block w-full rounded-md border border-gray-300 px-3 py-2 shadow-sm aria-[invalid]:border-red-600"
      />
      {props.hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-gray-600">
          {props.hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function FormError({ state }: { state: ActionState }) {
  if (!state?.error) return null;
  const perField = Object.keys(state.error.fields ?? {}).length > 0;
  return (
    <div role="alert" data-code={state.error.code} className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {perField ? 'Please correct the fields marked above.' : state.error.message}
    </div>
  );
}

export function FormSuccess({ state }: { state: ActionState }) {
  if (!state?.ok || !state.message) return null;
  return (
    <div role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
      {state.message}
    </div>
  );
}

export function SubmitButton({ children, pending }: { children: React.ReactNode; pending?: boolean }) {
  return (
    <button type="submit" disabled={pending} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60">
      {pending ? 'Please wait…' : children}
    </button>
  );
}
