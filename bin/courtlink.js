#!/usr/bin/env node
// The `courtlink` command. It runs the built CLI; `npm start` and `npm run build` build it.
try {
  const { main } = await import('../dist/server/cli/main.js');
  await main();
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/server/cli')) {
    process.stderr.write('courtlink: the CLI is not built yet; run `npm run build` (npm start does it too)\n');
    process.exit(1);
  }
  throw err;
}
