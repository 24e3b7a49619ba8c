import { readFileSync } from 'node:fs';
import type { Config } from '../config/index.js';
import { OrgStore } from '../records/OrgStore.js';
import { importSites, siteCsvColumns } from '../records/siteImport.js';
import { RecordsUsageError, withRecordsRedis } from './userCommands.js';

export const siteUsage = `  courtlink sites import <file.csv>     load many sites at once (columns: ${siteCsvColumns.join(', ')}); all or nothing`;

/** `courtlink sites import <file.csv>` (issue 12): prints what it imported, or every bad row and exits 1 with nothing imported. */
export async function runSiteCommand(argv: string[], config: Config, out: (line: string) => void): Promise<number | undefined> {
  const [, verb, file, ...rest] = argv;
  if (verb !== 'import' || !file || rest.length > 0) throw new RecordsUsageError(`usage:\n${siteUsage}`);
  const csv = readFileSync(file, 'utf8');
  return withRecordsRedis(config, async (redis) => {
    const sites = await importSites(new OrgStore(redis), csv);
    out(`Imported ${sites.length} site(s).`);
    return undefined;
  });
}
