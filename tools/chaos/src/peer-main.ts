/**
 * The child-process entry of the chaos suite: `node peer-main.js <role> <json args>`. Each role is a
 * peer the suite kills (SIGKILL) at a moment of its choosing; roles say what they did on stdout, one
 * line at a time.
 */
import { roles } from './peers/roles.js';

const [role, json] = process.argv.slice(2);
const run = role === undefined ? undefined : roles[role];
if (run === undefined) {
  process.stderr.write(`unknown role ${String(role)}\n`);
  process.exit(2);
}
await run(JSON.parse(json ?? '{}') as never);
