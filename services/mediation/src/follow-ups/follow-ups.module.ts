// Follow-up visits after an agreement.
import { Module } from '@nestjs/common';

@Module({})
export class FollowUpsModule {}
