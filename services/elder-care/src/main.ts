// Starts elder-care: HTTP on HTTP_PORT (3103), its consumers, the visit timers, graceful shutdown.
import { bootstrapService } from '@linli/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
