// Marks a controller or route as open to anonymous callers (probes, metrics scrapes, Open311 with its own API
// keys). Authentication guards read this key; everything without it requires a verified token.
import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'linli:public-route';

export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
