export { authenticate, type TokenVerifier } from './authenticate.js';
export { AuthenticationError } from './authentication-error.js';
export type { Caller, MetadataReader } from './caller.js';
export { isAllowed, type Action } from './permissions.js';
