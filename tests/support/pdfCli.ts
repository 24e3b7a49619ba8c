// Runs the courtlink CLI from source (through tsx), for tests that need its exit status without a build.
import { main } from '../../server/cli/main.js';

await main();
