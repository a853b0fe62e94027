import { Module } from '@nestjs/common';

/**
 * The data-verifier's own providers and controllers. Health, metrics, logging and the Postgres/NATS
 * connections come from @bascule/service-kit, which bootstrapService adds around this module.
 */
@Module({})
export class DataVerifierModule {}
