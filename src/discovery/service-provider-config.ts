import { AppConfig, sizeInBytes } from '../config/env';
import { URN } from '../scim';

/** RFC 7643 §5, stating only what is implemented today. Later features flip their flag here. */
export const serviceProviderConfig = (config: AppConfig, baseUrl: string) => ({
  schemas: [URN.ServiceProviderConfig],
  documentationUri: `${baseUrl.replace(/\/scim\/v2$/, '')}/docs`,
  patch: { supported: true },
  bulk: { supported: true, maxOperations: config.bulkMaxOperations, maxPayloadSize: sizeInBytes(config.bulkMaxPayload) },
  filter: { supported: true, maxResults: config.scimMaxResults },
  changePassword: { supported: true },
  sort: { supported: false },
  etag: { supported: true },
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
