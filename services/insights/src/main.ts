// Starts insights: HTTP on HTTP_PORT (3107), its consumer group over the domain topics, graceful shutdown.
import { bootstrapService } from '@linli/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
