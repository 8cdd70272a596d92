// Starts resident-requests: HTTP on HTTP_PORT (3101), the job-event consumers, the call-back and service-level
// timers, graceful shutdown.
import { bootstrapService } from '@linli/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
