import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { BookingPanel } from './BookingPanel.js';
import { type MapSite, SiteMap } from './SiteMap.js';
import './sites.css';

type NearbySite = MapSite & {
  kind: string;
  address: string;
  distanceKm: number;
  openingHours?: string;
  contact?: string;
  videoRoom: boolean;
};
type Township = { name: string; latitude: number; longitude: number };

const kinds = ['village_room', 'township_station', 'district_centre', 'correctional_site', 'mobile_court', 'law_firm', 'court'] as const;
const radii = [5, 10, 20, 50] as const;

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body = (await res.json()) as T & { error?: { code: string } };
  if (!res.ok) throw new Error(body.error?.code ?? String(res.status));
  return body;
}

/** /sites: the public site finder (issue 12). No sign-in; the browser's location when allowed, else a township from the list. */
export function SitesPage() {
  const { t } = useTranslation();
  const [centre, setCentre] = useState<{ lat: number; lng: number }>();
  const [locating, setLocating] = useState(false);
  const [denied, setDenied] = useState(false);
  const [townships, setTownships] = useState<Township[]>([]);
  const [kind, setKind] = useState('');
  const [radiusKm, setRadiusKm] = useState<number>(5);
  const [sites, setSites] = useState<NearbySite[]>();
  const [error, setError] = useState<string>();

  const locate = useCallback(() => {
    if (!navigator.geolocation) return setDenied(true);
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setCentre({ lat: pos.coords.latitude, lng: pos.coords.longitude });
      },
      () => {
        setLocating(false);
        setDenied(true);
      },
      { timeout: 8000, maximumAge: 600_000 },
    );
  }, []);

  useEffect(() => {
    locate();
    getJson<{ townships: Township[] }>('/api/sites/townships')
      .then((a) => setTownships(a.townships))
      .catch(() => undefined);
  }, [locate]);

  useEffect(() => {
    if (!centre) return;
    const query = new URLSearchParams({ lat: String(centre.lat), lng: String(centre.lng), radiusKm: String(radiusKm) });
    if (kind) query.set('kind', kind);
    setError(undefined);
    getJson<{ sites: NearbySite[] }>(`/api/sites/nearest?${query}`)
      .then((a) => setSites(a.sites))
      .catch((err: Error) => setError(err.message));
  }, [centre, kind, radiusKm]);

  return (
    <main className="sites-page" data-testid="sites-page">
      <header className="bar">
        <h1>{t('sites.title')}</h1>
        <LanguageSwitch />
      </header>
      <p>{t('sites.intro')}</p>
      <div className="sites-controls">
        <button type="button" onClick={locate} data-testid="use-location">
          {locating ? t('sites.locating') : t('sites.useLocation')}
        </button>
        <label>
          {t('sites.township')}
          <select
            data-testid="township-select"
            defaultValue=""
            onChange={(e) => {
              const town = townships.find((x) => x.name === e.target.value);
              if (town) setCentre({ lat: town.latitude, lng: town.longitude });
            }}
          >
            <option value="">{t('sites.chooseTownship')}</option>
            {townships.map((town) => (
              <option key={town.name} value={town.name}>
                {town.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sites.kind')}
          <select data-testid="kind-select" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('sites.allKinds')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`sites.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sites.radius')}
          <select data-testid="radius-select" value={radiusKm} onChange={(e) => setRadiusKm(Number(e.target.value))}>
            {radii.map((r) => (
              <option key={r} value={r}>
                {r} km
              </option>
            ))}
          </select>
        </label>
      </div>
      {denied && !centre && (
        <p role="status" data-testid="location-denied">
          {t('sites.locationDenied')}
        </p>
      )}
      {error && (
        <p role="alert" data-testid="sites-error" data-code={error}>
          {t(`catalogue.${error}`, { defaultValue: t('sites.error') })}
        </p>
      )}
      {centre && sites && (
        <div className="sites-result">
          <SiteMap centre={centre} sites={sites} radiusKm={radiusKm} />
          <section aria-label={t('sites.list')}>
            {sites.length === 0 && <p data-testid="sites-none">{t('sites.none', { km: radiusKm })}</p>}
            <ol className="site-list" data-testid="site-list">
              {sites.map((site) => (
                <li key={site.id} data-testid="site-entry" data-name={site.name} data-km={site.distanceKm}>
                  <strong>{site.name}</strong>
                  <span className="site-distance" data-testid="site-distance">
                    {t('sites.distance', { km: site.distanceKm.toFixed(1) })}
                  </span>
                  <span className="site-kind">{t(`sites.kinds.${site.kind}`)}</span>
                  <span>{site.address}</span>
                  {site.openingHours && <span>{t('sites.hours', { hours: site.openingHours })}</span>}
                  {site.contact && <a href={`tel:${site.contact}`}>{t('sites.contact', { contact: site.contact })}</a>}
                  {site.videoRoom && <span className="site-video">{t('sites.videoRoom')}</span>}
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
      <BookingPanel />
    </main>
  );
}
