import { parse } from 'csv-parse/sync';
import { CourtLinkError } from '../../signaling/index.js';
import type { OrgStore } from './OrgStore.js';
import { NewSite, type Site } from './schemas.js';

/**
 * `courtlink sites import <file.csv>`: many sites at once. Every row is
 * validated first; one bad row means nothing is imported (one MULTI for all).
 * Columns (header row, UTF-8, a BOM is fine): name, kind, orgId, address,
 * latitude, longitude, township, openingHours, contact, services (separated
 * by ; or 、), videoRoom (yes/no, 是/否, true/false).
 * csv-parse because RFC 4180 quoting (commas and line breaks inside quotes) is easy to get wrong by hand.
 */

export const siteCsvColumns = [
  'name',
  'kind',
  'orgId',
  'address',
  'latitude',
  'longitude',
  'township',
  'openingHours',
  'contact',
  'services',
  'videoRoom',
] as const;

export type SiteRowProblem = { line: number; problem: string };

const yes = new Set(['yes', 'y', 'true', '1', '是', '有']);
const no = new Set(['no', 'n', 'false', '0', '否', '无', '']);

type Row = Record<string, string>;

function toSite(row: Row): unknown {
  const text = (k: string) => (row[k]?.trim() ? row[k].trim() : undefined);
  const number = (k: string) => (text(k) === undefined ? undefined : Number(text(k)));
  const video = (row.videoRoom ?? '').trim().toLowerCase();
  return {
    name: text('name'),
    kind: text('kind'),
    orgId: text('orgId'),
    address: text('address'),
    latitude: number('latitude'),
    longitude: number('longitude'),
    ...(text('township') ? { township: text('township') } : {}),
    ...(text('openingHours') ? { openingHours: text('openingHours') } : {}),
    ...(text('contact') ? { contact: text('contact') } : {}),
    ...(text('services')
      ? {
          services: (text('services') ?? '')
            .split(/[;；、]/)
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    videoRoom: yes.has(video) ? true : no.has(video) ? false : video,
  };
}

/** Parses and validates every row; returns the sites to create, or every bad row with its line number in the file. */
export function parseSiteCsv(
  csv: string,
  knownOrgIds: ReadonlySet<string>,
): { sites: Omit<Site, 'id' | 'createdAt'>[]; problems: SiteRowProblem[] } {
  let records: { record: Row; info: { lines: number } }[];
  try {
    records = parse(csv, { bom: true, columns: true, skip_empty_lines: true, info: true, trim: true }) as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { sites: [], problems: [{ line, problem: 'not valid CSV (check the quotes and the number of columns)' }] };
  }
  const problems: SiteRowProblem[] = [];
  const sites: Omit<Site, 'id' | 'createdAt'>[] = [];
  const header = Object.keys(records[0]?.record ?? {});
  const unknown = header.filter((h) => !(siteCsvColumns as readonly string[]).includes(h));
  if (unknown.length) problems.push({ line: 1, problem: `unknown column(s): ${unknown.join(', ')}` });
  for (const { record, info } of records) {
    // info.lines is the line the record ends on; a row with a quoted line break starts earlier, which is rare in a site list.
    const line = info.lines;
    const parsed = NewSite.safeParse(toSite(record));
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'row'}: ${i.message}`);
      problems.push({ line, problem: issues.join('; ') });
    } else if (!knownOrgIds.has(parsed.data.orgId)) {
      problems.push({ line, problem: `orgId: no organisation ${parsed.data.orgId}` });
    } else sites.push(parsed.data);
  }
  if (records.length === 0) problems.push({ line: 1, problem: 'no rows' });
  return { sites, problems };
}

/** Validates all rows, then creates them all in one MULTI; a single bad row refuses the whole file. */
export async function importSites(orgs: OrgStore, csv: string): Promise<Site[]> {
  const known = new Set((await orgs.listOrgs()).map((o) => o.id));
  const { sites, problems } = parseSiteCsv(csv, known);
  if (problems.length > 0) {
    const list = problems.map((p) => `line ${p.line}: ${p.problem}`).join('\n');
    throw Object.assign(new CourtLinkError('CSV_ROW_INVALID', `Nothing was imported. Fix these rows:\n${list}`), { problems });
  }
  return orgs.createSites(sites);
}
