import { useId, useState, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  help?: ReactNode;
  /** Renders the control with the id and description id the label and help text point at. */
  children: (ids: { id: string; describedBy: string | undefined }) => ReactNode;
}

/** A labelled control with short help text below it (the help is not part of the accessible name). */
export function Field({ label, help, children }: FieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy: help ? helpId : undefined })}
      {help && (
        <small id={helpId} className="help">
          {help}
        </small>
      )}
    </div>
  );
}

interface NumberFieldProps {
  label: string;
  help?: ReactNode;
  value: number;
  min?: number;
  max?: number;
  step?: number | 'any';
  disabled?: boolean;
  /** How the value is written in the box (learning rates read better as 5e-5). */
  format?: (value: number) => string;
  onChange: (value: number) => void;
}

/** A number input that reports only finite values, and keeps what the user is typing ("0.00"). */
export function NumberField({
  label,
  help,
  value,
  min,
  max,
  step,
  disabled,
  format = String,
  onChange,
}: NumberFieldProps) {
  const [text, setText] = useState(() => format(value));
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    // The setting changed elsewhere (a suggestion from the data): show it unless it is what's typed.
    setShown(value);
    if (Number(text) !== value) setText(format(value));
  }
  return (
    <Field label={label} help={help}>
      {({ id, describedBy }) => (
        <input
          id={id}
          type="number"
          inputMode="decimal"
          aria-describedby={describedBy}
          value={text}
          min={min}
          max={max}
          step={step ?? 'any'}
          disabled={disabled}
          onChange={(e) => {
            setText(e.currentTarget.value);
            const v = e.currentTarget.valueAsNumber;
            if (Number.isFinite(v) && v !== value) onChange(v);
          }}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  help?: ReactNode;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

/** A labelled select over a fixed set of values; only those values ever reach `onChange`. */
export function SelectField<T extends string>({ label, help, value, options, onChange }: SelectFieldProps<T>) {
  return (
    <Field label={label} help={help}>
      {({ id, describedBy }) => (
        <select
          id={id}
          aria-describedby={describedBy}
          value={value}
          onChange={(e) => {
            const picked = options.find((o) => o.value === e.currentTarget.value);
            if (picked) onChange(picked.value);
          }}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
