/** Schema and message URNs (RFC 7643 §8.7, RFC 7644 §3). Compare them case-insensitively via the schema registry. */
export const URN = {
  User: 'urn:ietf:params:scim:schemas:core:2.0:User',
  EnterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  Group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  /** Our Group extension carrying team settings. */
  TeamExtension: 'urn:ietf:params:scim:schemas:extension:llmgateway:2.0:Team',
  /** Our User extension carrying the application's per-user settings. */
  UserExtension: 'urn:ietf:params:scim:schemas:extension:llmgateway:2.0:User',
  ServiceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  ResourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  Schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  ListResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  PatchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  SearchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  BulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  BulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  Error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export const SCIM_CONTENT_TYPE = 'application/scim+json';
