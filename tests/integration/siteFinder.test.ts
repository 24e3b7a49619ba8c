import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSites, parseSiteCsv } from '../../server/records/siteImport.js';
import { StaffClient, uniqueName } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Redis computes GEO distances on a sphere of this radius (src/geohash_helper.c); we check it against our own haversine. */
const earthKm = 6372.797560856;
function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * earthKm * Math.asin(Math.sqrt(h));
}

type Nearby = { id: string; name: string; kind: string; distanceKm: number; services: string[]; videoRoom: boolean };

describe('public site finder and the site import', () => {
  let server: TestServer;
  let orgId: string;
  // A remote spot in Yunnan, moved a little per run, so no other test's sites are within 50 km.
  const centre = { lat: 25.5 + Math.random() * 0.5, lng: 100.5 + Math.random() * 0.5 };
  const offsets = [
    { name: '甲村法律服务室', kind: 'village_room', dLat: 0.01, dLng: 0.0 },
    { name: '乙镇法律服务站', kind: 'township_station', dLat: -0.02, dLng: 0.015 },
    { name: '丙区公共法律服务中心', kind: 'district_centre', dLat: 0.03, dLng: -0.025 },
    { name: '丁律师事务所', kind: 'law_firm', dLat: 0.05, dLng: 0.05 },
    { name: '戊流动法庭点', kind: 'mobile_court', dLat: 0.2, dLng: 0.2 },
  ];
  const api = () => new StaffClient(server.url);

  beforeAll(async () => {
    server = await startTestServer();
    orgId = (await server.backOffice.orgs.createOrg({ name: uniqueName('示例区中心'), kind: 'district_centre' })).id;
    const header = 'name,kind,orgId,address,latitude,longitude,township,openingHours,contact,services,videoRoom';
    const rows = offsets.map(
      (o) =>
        `${o.name},${o.kind},${orgId},"示例路1号, 示例镇",${centre.lat + o.dLat},${centre.lng + o.dLng},示例镇,周一至周五 9:00-17:00,0871-1234567,法律咨询;人民调解,是`,
    );
    const imported = await importSites(server.backOffice.orgs, `\uFEFF${[header, ...rows].join('\n')}\n`);
    expect(imported).toHaveLength(offsets.length);
  });
  afterAll(() => server?.stop());

  it('answers the sites within the radius, nearest first, at the distances haversine gives', async () => {
    const answer = await api().call<{ sites: Nearby[] }>('GET', `/sites/nearest?lat=${centre.lat}&lng=${centre.lng}&radiusKm=10`);
    expect(answer.status).toBe(200);
    const expected = offsets
      .map((o) => ({ name: o.name, km: haversineKm(centre, { lat: centre.lat + o.dLat, lng: centre.lng + o.dLng }) }))
      .filter((e) => e.km <= 10)
      .sort((a, b) => a.km - b.km);
    expect(expected.length).toBe(4); // the mobile court point is about 30 km away
    expect(answer.body.sites.map((s) => s.name)).toEqual(expected.map((e) => e.name));
    answer.body.sites.forEach((site, i) => {
      expect(Math.abs(site.distanceKm - (expected[i]?.km ?? -1))).toBeLessThan(0.005);
    });
    expect(answer.body.sites[0]).toMatchObject({ services: ['法律咨询', '人民调解'], videoRoom: true });
    expect(answer.text).not.toContain(orgId);
  });

  it('filters by kind and widens with the radius', async () => {
    const lawFirms = await api().call<{ sites: Nearby[] }>(
      'GET',
      `/sites/nearest?lat=${centre.lat}&lng=${centre.lng}&radiusKm=10&kind=law_firm`,
    );
    expect(lawFirms.body.sites.map((s) => s.name)).toEqual(['丁律师事务所']);
    const wide = await api().call<{ sites: Nearby[] }>('GET', `/sites/nearest?lat=${centre.lat}&lng=${centre.lng}&radiusKm=50`);
    expect(wide.body.sites.map((s) => s.name)).toContain('戊流动法庭点');
  });

  it.each([
    ['lat=91&lng=100', 'COORDINATES_OUT_OF_RANGE'],
    ['lat=-86&lng=100', 'COORDINATES_OUT_OF_RANGE'],
    ['lat=25&lng=181', 'COORDINATES_OUT_OF_RANGE'],
    ['lat=25&lng=100&radiusKm=0', 'RADIUS_OUT_OF_RANGE'],
    ['lat=25&lng=100&radiusKm=50.1', 'RADIUS_OUT_OF_RANGE'],
    ['lat=25&lng=100&radiusKm=-3', 'RADIUS_OUT_OF_RANGE'],
    ['lat=abc&lng=100', 'INVALID_PAYLOAD'],
    ['lat=25&lng=100&kind=castle', 'INVALID_PAYLOAD'],
  ])('refuses %s with 400 %s', async (query, code) => {
    const answer = await api().call<{ error: { code: string; message: string } }>('GET', `/sites/nearest?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe(code);
    expect(answer.text).not.toMatch(/at \w+ \(/); // no stack
  });

  it('lists the townships with the centre of their sites', async () => {
    const answer = await api().call<{ townships: { name: string; sites: number }[] }>('GET', '/sites/townships');
    expect(answer.body.townships).toContainEqual(expect.objectContaining({ name: '示例镇', sites: expect.any(Number) }));
  });

  it('imports nothing when one row is bad, naming each bad row by its line', async () => {
    const before = (await server.backOffice.orgs.listSites([orgId])).length;
    const csv = [
      'name,kind,orgId,address,latitude,longitude',
      `好站,village_room,${orgId},地址,25.1,100.1`,
      `坏坐标,village_room,${orgId},地址,95,100.1`,
      `好站二,village_room,${orgId},地址,25.2,100.2`,
      `坏类型,castle,${orgId},地址,25.3,100.3`,
      `无机构,village_room,nosuchorg1,地址,25.3,100.3`,
    ].join('\n');
    const { problems } = parseSiteCsv(csv, new Set([orgId]));
    expect(problems.map((p) => p.line)).toEqual([3, 5, 6]);
    expect(problems[0]?.problem).toMatch(/latitude/);
    await expect(importSites(server.backOffice.orgs, csv)).rejects.toMatchObject({ code: 'CSV_ROW_INVALID', message: /line 3: latitude/ });
    expect((await server.backOffice.orgs.listSites([orgId])).length).toBe(before);
    // A row with too many columns is malformed CSV: also refused, with its line.
    expect(parseSiteCsv(`name,kind\na,b,c\n`, new Set()).problems[0]?.line).toBe(2);
  });
});
