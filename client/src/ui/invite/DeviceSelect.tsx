import { useTranslation } from 'react-i18next';

type Props = {
  label: string;
  /** Name for a device the browser gives no label, numbered: "Camera 2". */
  fallbackName: string;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  disabled?: boolean;
  testId: string;
  onChange(deviceId: string): void;
};

/** A labelled picker for one kind of input device. */
export function DeviceSelect({ label, fallbackName, devices, value, disabled, testId, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)} disabled={disabled} data-testid={testId}>
        {devices.length === 0 && <option value="">{t('selfTest.noDevice')}</option>}
        {devices.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || `${fallbackName} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}
