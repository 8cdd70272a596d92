// Starts notifications: HTTP on HTTP_PORT (3106), its consumers, the channel senders, graceful shutdown.
import { bootstrapService } from '@linli/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
