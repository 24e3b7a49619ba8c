import { useTranslation } from 'react-i18next';

export type MapSite = { id: string; name: string; latitude: number; longitude: number };

/** Kilometres east and north of the centre: an equirectangular projection is exact enough within 50 km. */
export function offsetKm(centre: { lat: number; lng: number }, p: { latitude: number; longitude: number }): { x: number; y: number } {
  const x = (p.longitude - centre.lng) * 111.32 * Math.cos((centre.lat * Math.PI) / 180);
  const y = (p.latitude - centre.lat) * 110.57;
  return { x, y };
}

/**
 * The sites around the person, drawn as an SVG plot of their coordinates with
 * the 5 km circle: it needs no map tiles, so it works offline and on a slow
 * village link. North is up; the numbers match the list beside it.
 */
export function SiteMap({ centre, sites, radiusKm }: { centre: { lat: number; lng: number }; sites: MapSite[]; radiusKm: number }) {
  const { t } = useTranslation();
  const extent = Math.max(radiusKm, 5) * 1.1;
  return (
    <svg
      className="site-map"
      data-testid="site-map"
      viewBox={`${-extent} ${-extent} ${2 * extent} ${2 * extent}`}
      role="img"
      aria-label={t('sites.map')}
    >
      <rect x={-extent} y={-extent} width={2 * extent} height={2 * extent} fill="#f4f7f5" />
      <circle
        cx={0}
        cy={0}
        r={5}
        fill="none"
        stroke="#2e7d32"
        strokeWidth={extent / 150}
        strokeDasharray={`${extent / 40}`}
        data-testid="map-5km"
      />
      <text x={0} y={-5 - extent / 60} textAnchor="middle" fontSize={extent / 18} fill="#2e7d32">
        5 km
      </text>
      <circle cx={0} cy={0} r={extent / 45} fill="#1565c0" data-testid="map-you" />
      {sites.map((site, i) => {
        const { x, y } = offsetKm(centre, site);
        return (
          <g key={site.id} data-testid="map-site" data-name={site.name}>
            <circle cx={x} cy={-y} r={extent / 30} fill="#c62828" />
            <text x={x} y={-y + extent / 80} textAnchor="middle" fontSize={extent / 35} fill="#fff">
              {i + 1}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
