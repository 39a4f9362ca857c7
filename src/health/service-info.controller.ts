import { Controller, Get, Headers } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProperty, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { version } from '../../package.json';
import { Public } from '../auth/auth.decorators';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';

class ServiceLinksDto {
  @ApiProperty({ example: 'http://127.0.0.1:3000/scim/v2', description: 'The SCIM base URL to give an identity provider' })
  scim!: string;
  @ApiProperty({ example: 'http://127.0.0.1:3000/docs', description: 'Swagger UI' }) docs!: string;
  @ApiProperty({ example: 'http://127.0.0.1:3000/docs-json', description: 'This OpenAPI document' }) openapi!: string;
  @ApiProperty({ example: 'http://127.0.0.1:3000/health', description: 'Liveness; /health/ready is readiness' }) health!: string;
}

export class ServiceInfoDto {
  @ApiProperty({ example: 'SCIM 2.0 server' }) name!: string;
  @ApiProperty({ example: version }) version!: string;
  @ApiProperty({ example: 'SCIM 2.0 (RFC 7643/7644) provisioning of users, teams and API keys' }) description!: string;
  @ApiProperty({ type: ServiceLinksDto }) links!: ServiceLinksDto;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A browser's page: the same links. */
const page = (info: ServiceInfoDto) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(info.name)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body>
<h1>${escape(info.name)} <small>${escape(info.version)}</small></h1>
<p>${escape(info.description)}.</p>
<ul>
<li>SCIM base URL for your identity provider: <code>${escape(info.links.scim)}</code> (needs a SCIM token)</li>
<li><a href="${escape(info.links.docs)}">API documentation (Swagger UI)</a>, <a href="${escape(info.links.openapi)}">OpenAPI JSON</a></li>
<li><a href="${escape(info.links.health)}">Health</a></li>
</ul>
</body></html>
`;

/** `/`: what this service is and where to go, for a person who opens the server's address. No token needed. */
@ApiTags('Service')
@Public()
@Controller()
export class ServiceInfoController {
  @Get()
  @ApiOperation({
    operationId: 'serviceInfo',
    summary: 'What this service is, with links',
    description:
      'Names the service and its version and links to the SCIM base URL, Swagger UI, the OpenAPI document and the health check. ' +
      'Needs no token. A browser (Accept: text/html) gets the same as a small HTML page.',
  })
  @ApiExtraModels(ServiceInfoDto)
  @ApiResponse({
    status: 200,
    description: 'The service and its links: JSON, or HTML for a browser',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ServiceInfoDto) } },
      'text/html': { schema: { type: 'string' } },
    },
  })
  info(@ScimCtx() ctx: ScimContext, @Headers('accept') accept: string | undefined): ServiceInfoDto | string {
    const origin = ctx.baseUrl.replace(/\/scim\/v2$/, '');
    const info: ServiceInfoDto = {
      name: 'SCIM 2.0 server',
      version,
      description: 'SCIM 2.0 (RFC 7643/7644) provisioning of users, teams and API keys',
      links: { scim: ctx.baseUrl, docs: `${origin}/docs`, openapi: `${origin}/docs-json`, health: `${origin}/health` },
    };
    return accept?.includes('text/html') ? page(info) : info;
  }
}
