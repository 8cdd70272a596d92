// Marks a controller or route as open to anonymous callers (probes, metrics scrapes, Open311 with its own API
// keys). Authentication guards read this key; everything without it requires a verified token.
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const PUBLIC_ROUTE = 'linli:public-route';

/** Also written into the OpenAPI document as `x-linli-public: true`, for reviewers and the route-by-role test. */
export const PublicRoute = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension('x-linli-public', true));
