// Starts mediation: HTTP on HTTP_PORT (3104), its consumers, the case timers, graceful shutdown.
import { bootstrapService } from '@linli/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
