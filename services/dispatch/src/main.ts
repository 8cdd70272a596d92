// Starts dispatch: HTTP on HTTP_PORT (3102), the job consumers, the offer-expiry timers, graceful shutdown.
import { bootstrapService } from '@linli/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
