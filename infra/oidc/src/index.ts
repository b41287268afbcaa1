export { mintDevToken, type DevTokenRequest } from './dev-token.js';
export { verifyToken, type VerifiedToken, type VerifyOptions } from './token-verifier.js';
export { rememberVerified, type RememberOptions, type TokenVerifier } from './verified-tokens.js';
export { ROLES, IDENTIFIER_PATTERN, type Role, type FlowledgerIdentity } from './token-claims.js';
export { TokenError, type TokenErrorCode } from './token-errors.js';
export {
  currentSigningKey,
  generateSigningKeySet,
  publicJwks,
  SIGNING_ALG,
  type PrivateJwkSet,
  type PrivateSigningJwk,
} from './signing-keys.js';
export { loadOrCreateSigningKeys, signingKeyPath } from './key-file.js';
