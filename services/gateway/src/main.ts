// Starts the gateway: the public edge on HTTP_PORT (3100): sign-in and tokens, users, the audit log, the routes
// to the services under /api/<service>/, the web console; graceful shutdown.
import { bootstrapService } from '@linli/platform';
import { AppModule } from './app.module';
import { configureEdge } from './edge/edge.setup';

void bootstrapService(AppModule, { configure: configureEdge });
