/**
 * An answer whose status and headers a service decides (forward auth: 200 with the user in X-Auth-* headers), written
 * by renderResult so that controllers stay one-liners and never touch the response.
 */
export class HttpAnswer {
  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body?: unknown,
  ) {}
}
