import { allTopics, auditTopic } from '@linli/contracts';
import { defaultConsumerGroup } from '@linli/messaging';
import { INSIGHTS_CONSUMER_GROUP, INSIGHTS_TOPICS, SERVICE } from './topics';

describe('insights topics and group', () => {
  it('names the group MessagingModule gives the service, which the rebuild resets', () => {
    expect(INSIGHTS_CONSUMER_GROUP).toBe(defaultConsumerGroup(SERVICE));
  });

  it('reads only platform topics, never the audit log', () => {
    for (const topic of INSIGHTS_TOPICS) expect(allTopics).toContain(topic);
    expect(INSIGHTS_TOPICS).not.toContain(auditTopic);
  });
});
