import { Module } from '@nestjs/common';
import { PlanBinding } from '@bascule/plan-binding';
import { BackupHandler } from './backup/backup.handler';
import { BaselineHandler } from './baseline.handler';
import { CompareHandler } from './compare.handler';
import { TargetPools } from './target-pools';
import { VerificationLog } from './verification-log';
import { VerifyStepHandler } from './verify-step.handler';

/**
 * The data-verifier's own providers and controllers. Every command is bound to its migration's
 * events first (PlanBinding): what runs on a target is what the stored plan asks for. Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({ controllers: [BaselineHandler, CompareHandler, VerifyStepHandler, BackupHandler], providers: [PlanBinding, TargetPools, VerificationLog] })
export class DataVerifierModule {}
