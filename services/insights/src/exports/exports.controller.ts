// POST /exports: the console's tables (any role's) as CSV or XLSX files; the rows come in the body, so nothing
// leaves here that the caller did not already have.
import { Body, Controller, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ExportFormatQuery, ExportTableDto } from './dto/export.dto';
import { CSV_MEDIA_TYPE, tableFile, XLSX_MEDIA_TYPE } from './table-file';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  @Post()
  @HttpCode(200)
  @ApiProduces(CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  async export(@Query() query: ExportFormatQuery, @Body() body: ExportTableDto): Promise<StreamableFile> {
    const file = await tableFile(body, query.format ?? 'csv');
    return new StreamableFile(file.body, {
      type: file.type,
      disposition: file.disposition,
      length: file.body.length,
    });
  }
}
