// API tokens (GET /api/tokens, /api/admin/tokens).

/** An API token as listed to its holder and to administrators: never the token itself, only its prefix. */
export interface TokenInfo {
  id: number;
  user: string;
  name: string;
  /** The first characters of the token, to recognise it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revoked: boolean;
}
