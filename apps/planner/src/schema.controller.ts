import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { migrationSpecJsonSchema } from '@bascule/migration-spec';

/** The published JSON Schema of the migration spec (generated from the contract, so they cannot disagree). */
@ApiTags('schema')
@Controller('schema')
export class SchemaController {
  private readonly schema = migrationSpecJsonSchema();

  @Get('migration.json')
  @Header('Content-Type', 'application/schema+json')
  @ApiOperation({ summary: 'JSON Schema of the migration spec' })
  migration() {
    return this.schema;
  }
}
