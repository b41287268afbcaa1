// `npm run setup`: the npm half of the install (prerequisite check + npm ci when needed), for CI
// steps such as lint that run before `npm test`. Servers install themselves on `stack up`.
import { checkPrerequisites, ensureNodeModules } from './bootstrap.mjs';

checkPrerequisites();
ensureNodeModules();
