import { loadStackConfig } from '@flowledger/config';
import { varDir } from './checkout.js';
import { stackCommand } from './stack/stack-command.js';

const USAGE = `usage: flowledger <verb> [options]

verbs:
  stack up|down|status [--json]   the embedded stack (Kafka, schema registry, Postgres, Neo4j, Envoy, validator, OIDC, services)
  token --tenant T --actor A --roles r1,r2 [--ttl SECONDS]   print a signed dev JWT alone on stdout
`;

const [verb, ...args] = process.argv.slice(2);

async function main(): Promise<number> {
  switch (verb) {
    case 'stack':
      return stackCommand(args);
    case 'token': {
      const { tokenCommand } = await import('./token/token-command.js');
      return tokenCommand(args, { config: loadStackConfig(), varDir });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return verb === undefined ? 2 : 0;
    default:
      process.stderr.write(`flowledger: unknown verb "${verb}"\n\n${USAGE}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`flowledger: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
