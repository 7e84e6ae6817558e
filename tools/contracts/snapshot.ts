// npm run contracts:snapshot — writes the schema snapshot of every contract version that has none and
// rewrites those whose schema changed compatibly; refuses (exit 1) incompatible changes.
import { CONTRACT_LIBS, ROOT } from './registry';
import { orphanMessage, updateSnapshots } from './snapshots';

export function main(): number {
  const update = updateSnapshots(ROOT, CONTRACT_LIBS);
  for (const file of update.created) console.log(`created   ${file}`);
  for (const file of update.rewritten) console.log(`rewritten ${file}`);
  console.log(`${update.unchanged.length} snapshot(s) unchanged`);
  for (const message of update.refused) console.error(`\nrefused: ${message}`);
  for (const file of update.orphans) console.error(`\n${orphanMessage(file)}`);
  return update.refused.length + update.orphans.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
