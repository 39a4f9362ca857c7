import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import {
  allSchemas,
  ConfiguredValues,
  listResponse,
  renderResourceType,
  renderSchema,
  resourceTypes,
  sameName,
  ScimError,
  URN,
} from '../scim';
import { serviceProviderConfig } from './service-provider-config';

/**
 * RFC 7644 §4 discovery, generated from the schema registry (the data that also validates resources), and the answer
 * to /Me. Query parameters are ignored here as §4 says, except `filter`, which is refused so that a client cannot take
 * the full list for a filtered one.
 */
@Injectable()
export class DiscoveryService {
  /** The roles a user may hold are configuration (USER_ROLES), shown as the canonical values of `roles.value`. */
  private readonly configured: ConfiguredValues;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.configured = { [`${URN.User}:roles.value`]: config.userRoles };
  }

  serviceProviderConfig(baseUrl: string, filter: unknown) {
    refuseFilter(filter);
    return serviceProviderConfig(this.config, baseUrl);
  }

  schemas(baseUrl: string, filter: unknown) {
    refuseFilter(filter);
    const all = allSchemas.map((s) => renderSchema(s, baseUrl, this.configured));
    return listResponse(all, all.length, { startIndex: 1 });
  }

  schema(id: string, baseUrl: string) {
    const schema = allSchemas.find((s) => sameName(s.id, id));
    if (!schema) {
      throw ScimError.notFound(`There is no schema '${id}'; GET /Schemas lists ${allSchemas.map((s) => s.id).join(', ')}`);
    }
    return renderSchema(schema, baseUrl, this.configured);
  }

  resourceTypes(baseUrl: string, filter: unknown) {
    refuseFilter(filter);
    const all = resourceTypes.map((rt) => renderResourceType(rt, baseUrl));
    return listResponse(all, all.length, { startIndex: 1 });
  }

  resourceType(name: string, baseUrl: string) {
    const rt = resourceTypes.find((r) => sameName(r.name, name));
    if (!rt) {
      throw ScimError.notFound(
        `There is no resource type '${name}'; GET /ResourceTypes lists ${resourceTypes.map((r) => r.name).join(', ')}`,
      );
    }
    return renderResourceType(rt, baseUrl);
  }

  /** RFC 7644 §3.11: a service provider without /Me SHOULD answer 501. */
  me(): never {
    throw ScimError.notImplemented(
      "/Me is not implemented: this server's SCIM clients are provisioning systems that authenticate with SCIM tokens, not users, " +
        'so no user resource stands behind a request (RFC 7644 §3.11). Use /Users/{id}.',
    );
  }
}

/** RFC 7644 §4: a filter on a discovery endpoint SHOULD get 403, so that no client assumes its conditions hold. */
function refuseFilter(filter: unknown): void {
  if (filter !== undefined) {
    throw ScimError.forbidden('The discovery endpoints do not support filter (RFC 7644 §4); request the whole list or one item by id');
  }
}
