import { SetMetadata } from '@nestjs/common';

/** `introspection`: the admin key or INTROSPECTION_SECRET (the application checking its users' API keys). */
export type AuthKind = 'scim' | 'admin' | 'introspection' | 'public';
export const AUTH_KIND = 'auth:kind';

/** Which credential a controller or handler requires. Routes without it are refused (deny by default). */
export const Auth = (kind: AuthKind) => SetMetadata(AUTH_KIND, kind);
export const Public = () => Auth('public');
