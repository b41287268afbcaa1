// `npm start`: installs what is missing, brings up the whole embedded stack, prints where it is.
import { checkPrerequisites, ensureNodeModules, flowledger } from './bootstrap.mjs';

checkPrerequisites();
ensureNodeModules();
flowledger(['stack', 'up']);
console.log(`
flowledger is up: open http://localhost:${process.env.FLOWLEDGER_EDGE_PORT ?? 8080}  (the editor; gRPC-Web and health at the same origin, through Envoy)
status: npx flowledger stack status    stop: npx flowledger stack down`);
