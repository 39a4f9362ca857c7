import type { FastifyInstance } from 'fastify';
import FindMyWay, { HTTPMethod } from 'find-my-way';

/**
 * Which methods each path has, so a request with the wrong method gets 405 and an Allow header instead of 404
 * (Fastify answers both with its not-found handler). Filled from Fastify's own route registrations, so it stays true
 * as routes are added.
 */
export class RouteTable {
  private readonly router = FindMyWay({ caseSensitive: false, ignoreTrailingSlash: true });
  private readonly methods = new Set<HTTPMethod>();

  /** Must run before the routes are registered (Nest registers them in app.init()). */
  watch(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      // HEAD is Fastify's automatic twin of GET; Allow names the methods the API documents.
      for (const method of [route.method].flat().filter((m) => m !== 'HEAD') as HTTPMethod[]) {
        this.methods.add(method);
        this.router.on(method, route.url, () => undefined);
      }
    });
  }

  allowedMethods(path: string): string[] {
    return [...this.methods].filter((m) => this.router.find(m, path) !== null);
  }
}
