// HTTP of answers to alerts: a signed-in recipient (or staff recording an answer taken by phone or in person), and
// the public link of an SMS (its page of answers, posted back as a form; or JSON).
import { Actor, CurrentActor } from '@linli/auth';
import { PublicRoute } from '@linli/platform';
import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AcknowledgementsService } from './acknowledgements.service';
import { AcknowledgeDto, AcknowledgementView, LinkAcknowledgeDto, LinkQuery } from './dto/recipient.dto';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * What a browser shows when the link of an SMS is opened: the three answers as buttons of a form posting back to
 * the same address. Opening the link records nothing, so a messaging app fetching it for a preview answers for
 * nobody.
 */
function answerPage(alertId: string, recipientId: string, token: string): string {
  const hidden = [
    ['alertId', alertId],
    ['recipientId', recipientId],
    ['token', token],
  ]
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>预警确认 / Acknowledge the alert</title></head>
<body><h1>预警确认 / Acknowledge the alert</h1>
<form method="post" action="link">${hidden}
<p><button type="submit" name="response" value="safe">我很安全 / I am safe</button></p>
<p><button type="submit" name="response" value="needs-help">我需要帮助 / I need help</button></p>
<p><button type="submit" name="response" value="received">已收到 / Received</button></p>
</form></body></html>
`;
}

/** What a browser shows once the form was posted. */
const THANKS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>已确认 / Acknowledged</title></head>
<body><p>您的回复已记录，谢谢。</p><p>Thank you: your answer is recorded.</p></body></html>
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
    description:
      '201 the first answer; 200 the one recorded before. JSON for JSON bodies; the page of thanks for the form ' +
      "of the link's page (application/x-www-form-urlencoded)",
  })
  async acknowledgeByLink(
    @Body() body: LinkAcknowledgeDto,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcknowledgementView | string> {
    const { view, created } = await this.acknowledgements.acknowledgeByLink(
      body.alertId,
      body.recipientId,
      body.token,
      body.response,
    );
    reply.status(created ? 201 : 200);
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      reply.type('text/html; charset=utf-8');
      return THANKS_PAGE;
    }
    return view;
  }

  @Get('acknowledgements/link')
  @PublicRoute()
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'The page of answers (a form posting back); records nothing. 403 for a bad link',
  })
  openLink(@Query() query: LinkQuery, @Res({ passthrough: true }) reply: FastifyReply): string {
    this.acknowledgements.assertLink(query.a, query.r, query.t);
    reply.type('text/html; charset=utf-8');
    return answerPage(query.a, query.r, query.t);
  }
}
