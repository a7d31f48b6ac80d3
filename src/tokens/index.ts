export type { AccessClaims, AccessTokenSubject } from './claims';
export { signAccessToken } from './sign';
export { verifyAccessToken } from './verify';
export { requireAuth } from './middleware';
export { jwksRoutes } from './jwks-routes';
