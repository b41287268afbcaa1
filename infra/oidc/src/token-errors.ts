/** Why a token could not be minted or was refused; `code` is stable, the message is for people. */
export type TokenErrorCode = 'INVALID_ARGUMENT' | 'UNAUTHENTICATED' | 'ISSUER_UNAVAILABLE';

export class TokenError extends Error {
  readonly code: TokenErrorCode;
  /** True when trying again later may succeed (the issuer was unreachable), false for a bad input or token. */
  readonly retriable: boolean;

  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenError';
    this.code = code;
    this.retriable = code === 'ISSUER_UNAVAILABLE';
  }
}
