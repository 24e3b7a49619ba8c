import type { Site } from './staffApi.js';

/** A labelled whole-number input (minutes, places), bounded as the API bounds it. */
export function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  testId: string;
}) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={props.min}
        max={props.max}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        required
        data-testid={props.testId}
      />
    </label>
  );
}

/** A labelled choice of the caller's sites; an empty value means the first one. */
export function SiteSelect(props: { label: string; sites: Site[]; value: string; onChange: (id: string) => void; testId: string }) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {props.sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}
