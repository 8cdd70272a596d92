// HTTP of answers to alerts: a signed-in recipient (or staff recording an answer taken by phone or in person), and
// the public link of an SMS (POST from a page, or the plain GET of the link, which records "received").
import { Actor, CurrentActor } from '@linli/auth';
import { PublicRoute } from '@linli/platform';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AcknowledgementsService } from './acknowledgements.service';
import { AcknowledgeDto, AcknowledgementView, LinkAcknowledgeDto, LinkQuery } from './dto/recipient.dto';

/** What a browser shows after the link of an SMS was opened. No buttons: opening it is the answer. */
const LINK_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>已确认收到 / Acknowledged</title></head>
<body><p>已确认收到预警信息，谢谢。</p><p>Thank you: your acknowledgement of the alert is recorded.</p></body></html>
`;

@ApiTags('acknowledgements')
@Controller()
export class AcknowledgementsController {
  constructor(private readonly acknowledgements: AcknowledgementsService) {}

  @Post('alerts/:alertId/acknowledgements')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: AcknowledgementView,
    description: '201 the first answer; 200 the one recorded before',
  })
  async acknowledge(
    @Param('alertId') alertId: string,
    @Body() body: AcknowledgeDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcknowledgementView> {
    const { view, created } = await this.acknowledgements.acknowledge(alertId, body, actor);
    reply.status(created ? 201 : 200);
    return view;
  }

  @Post('acknowledgements/link')
  @PublicRoute()
  @ApiOkResponse({
    type: AcknowledgementView,
    description: '201 the first answer; 200 the one recorded before',
  })
  async acknowledgeByLink(
    @Body() body: LinkAcknowledgeDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcknowledgementView> {
    const { view, created } = await this.acknowledgements.acknowledgeByLink(
      body.alertId,
      body.recipientId,
      body.token,
      body.response,
    );
    reply.status(created ? 201 : 200);
    return view;
  }

  @Get('acknowledgements/link')
  @PublicRoute()
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Records "received" (unless an answer was recorded before) and says so' })
  async openLink(
    @Query() query: LinkQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.acknowledgements.acknowledgeByLink(query.a, query.r, query.t, 'received');
    reply.type('text/html; charset=utf-8');
    return LINK_PAGE;
  }
}
