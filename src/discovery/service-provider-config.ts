import { AppConfig, sizeInBytes } from '../config/env';
import { CURSOR_TIMEOUT_SECONDS } from '../database/list-support';
import { URN } from '../scim';

/** RFC 7643 §5, stating only what is implemented today. Later features flip their flag here. */
export const serviceProviderConfig = (config: AppConfig, baseUrl: string) => ({
  schemas: [URN.ServiceProviderConfig],
  documentationUri: `${baseUrl.replace(/\/scim\/v2$/, '')}/docs`,
  patch: { supported: true },
  bulk: { supported: true, maxOperations: config.bulkMaxOperations, maxPayloadSize: sizeInBytes(config.bulkMaxPayload) },
  filter: { supported: true, maxResults: config.scimMaxResults },
  changePassword: { supported: true },
  sort: { supported: true },
  etag: { supported: true },
  // RFC 9865 §4: both methods; index paging stays the default, so clients written for RFC 7644 see no change.
  pagination: {
    cursor: true,
    index: true,
    defaultPaginationMethod: 'index',
    defaultPageSize: config.scimMaxResults,
    maxPageSize: config.scimMaxResults,
    cursorTimeout: CURSOR_TIMEOUT_SECONDS,
  },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description:
        'A SCIM token issued by an administrator (POST /admin/scim-tokens or `npm run cli -- token create`), sent as "Authorization: Bearer <token>"',
      specUri: 'https://www.rfc-editor.org/info/rfc6750',
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
});
