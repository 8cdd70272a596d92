// DTO pieces every service's HTTP edge shares: a query-string boolean, a point on the map, a list's paging.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

/**
 * class-transformer `@Transform` for a boolean in a query string: 'true' and 'false' become booleans, anything
 * else is left for `@IsBoolean()` to refuse with a 400 naming the parameter.
 */
export const queryBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** WGS 84 coordinates, as a phone reports them; NaN and infinities are refused. */
export class CoordinatesDto {
  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng!: number;
}

/**
 * The largest pageSize any list accepts at all (the highest MAX_PAGE_SIZE a service may be configured with): a
 * bigger one is refused with 400 naming pageSize, so `pageSize=100000` is an error, not a silent cut (OWASP API4).
 */
export const PAGE_SIZE_CEILING = 5000;

/**
 * The paging of every list (`?page=2&pageSize=50`); a list's query class extends it. The largest page is each
 * service's MAX_PAGE_SIZE, applied where the list is read (a pageSize between it and PAGE_SIZE_CEILING is cut to
 * it; beyond the ceiling it is refused).
 */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_SIZE_CEILING, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE_CEILING)
  pageSize?: number;
}
