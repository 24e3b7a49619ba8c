import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { outcomeKeys, typeKeys } from './ledgerLabels.js';
import { downloadFile, errorText, staffApi } from './staffApi.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

type Row = { count: number; decided: number; succeeded: number; successRate: number; averageDurationSeconds: number };
type Statistics = {
  month: string;
  total: Row;
  byType: Record<string, Row>;
  bySite: Record<string, Row>;
  byOrganisation: Record<string, Row>;
  byOutcome: Record<string, number>;
  villageRoomsServed: string[];
};

function BarChart({ label, labels, values, testId }: { label: string; labels: string[]; values: number[]; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: [{ label, data: values, backgroundColor: '#0b5cad' }] },
      options: { animation: false, responsive: true, scales: { y: { beginAtZero: true } } },
    });
    return () => chart.destroy();
  }, [label, labels, values]);
  return (
    <figure>
      <canvas
        ref={canvas}
        role="img"
        aria-label={`${label}: ${labels.map((l, i) => `${l} ${values[i]}`).join(', ')}`}
        data-testid={testId}
      />
    </figure>
  );
}

function thisMonth(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
}

/** 统计考核: a month's figures as charts and a table, with CSV export. */
export function StatisticsView() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(thisMonth);
  const [stats, setStats] = useState<Statistics>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setError(undefined);
    staffApi<Statistics>('GET', `/statistics?month=${month}`).then(setStats, (err: unknown) => setError(errorText(t, err)));
  }, [month, t]);

  return (
    <section aria-labelledby="stats-heading">
      <h2 id="stats-heading">{t('office.nav.statistics')}</h2>
      <div className="row">
        <label>
          {t('office.statistics.month')}
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} data-testid="stats-month" />
        </label>
        <button type="button" onClick={() => void downloadFile('GET', `/statistics/export?month=${month}`, `statistics-${month}.csv`)}>
          {t('office.csv')}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {stats && (
        <>
          <p data-testid="stats-total">
            {t('office.statistics.total', {
              count: stats.total.count,
              rate: Math.round(stats.total.successRate * 100),
              minutes: Math.round(stats.total.averageDurationSeconds / 60),
            })}
          </p>
          <BarChart
            label={t('office.statistics.bySite')}
            labels={Object.keys(stats.bySite)}
            values={Object.values(stats.bySite).map((r) => r.count)}
            testId="chart-sites"
          />
          <BarChart
            label={t('ledgerSources.byType')}
            labels={Object.keys(stats.byType).map((type) => t(typeKeys(type)))}
            values={Object.values(stats.byType).map((r) => r.count)}
            testId="chart-types"
          />
          <BarChart
            label={t('office.statistics.byOutcome')}
            labels={Object.keys(stats.byOutcome).map((o) => t(outcomeKeys(o)))}
            values={Object.values(stats.byOutcome)}
            testId="chart-outcomes"
          />
          <h3>{t('office.statistics.villageRooms', { count: stats.villageRoomsServed.length })}</h3>
          <p>{stats.villageRoomsServed.join('、')}</p>
        </>
      )}
    </section>
  );
}
