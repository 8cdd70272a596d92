// Starts emergency: HTTP on HTTP_PORT (3105), its consumers, the alert chase timers, graceful shutdown.
import { bootstrapService } from '@linli/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
