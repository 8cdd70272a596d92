import type { TicketPriority } from '../catalogue/catalogue.types';
import { jobPriorityOf, raise, triagePriority, urgencyOfWords } from './priority.rules';

describe('priority rules', () => {
  const cases: [string, TicketPriority, string, string[], TicketPriority][] = [
    ['the category default when nothing is urgent', 'general', '厨房水龙头漏水', [], 'general'],
    ['danger for 起火', 'general', '楼道里起火了', [], 'danger'],
    ['danger for 着火', 'general', '厨房着火', [], 'danger'],
    ['danger for 火 alone', 'general', '家里有火', [], 'danger'],
    ['no danger for 火车 (a train is not a fire)', 'general', '火车站旁边垃圾没人清', [], 'general'],
    ['no danger for 火锅', 'general', '楼下火锅店油烟大', [], 'general'],
    ['danger for 燃气', 'general', '闻到燃气味', [], 'danger'],
    ['danger for 煤气', 'general', '煤气灶坏了', [], 'danger'],
    ['danger for 漏气', 'general', '管道漏气', [], 'danger'],
    ['danger for 触电', 'general', '有人触电', [], 'danger'],
    ['danger for 倒塌', 'general', '围墙倒塌', [], 'danger'],
    ['danger for 被困', 'general', '老人被困电梯', [], 'danger'],
    ['danger for 坠落', 'general', '空调外机坠落', [], 'danger'],
    ['danger for 流血', 'general', '摔倒流血', [], 'danger'],
    ['danger for 昏迷', 'general', '邻居昏迷', [], 'danger'],
    ['utilities for 停水', 'general', '小区停水两天', [], 'utilities'],
    ['utilities for 停电', 'general', '整栋楼停电', [], 'utilities'],
    ['utilities for 停气', 'complex', '停气了', [], 'utilities'],
    ['utilities for 暖气', 'general', '暖气不热', [], 'utilities'],
    ['utilities for 没水', 'general', '家里没水', [], 'utilities'],
    ['utilities for 没电', 'general', '家里没电', [], 'utilities'],
    ['utilities for 爆管', 'general', '楼下爆管', [], 'utilities'],
    ['danger for "fire" in English', 'general', 'There is a fire on the stairs', [], 'danger'],
    ['danger for "gas leak"', 'general', 'Possible GAS LEAK in flat 3', [], 'danger'],
    ['danger for "trapped"', 'general', 'someone trapped in the lift', [], 'danger'],
    ['danger for "unconscious"', 'general', 'neighbour is unconscious', [], 'danger'],
    ['no danger for "fireworks" (whole words only)', 'general', 'fireworks at night', [], 'general'],
    ['utilities for "power cut"', 'general', 'power cut since noon', [], 'utilities'],
    ['danger over utilities when both appear', 'general', '停电后起火', [], 'danger'],
    ['never lower than the default', 'danger', '停水', [], 'danger'],
    ['one level up for a vulnerable reporter', 'general', '水龙头漏水', ['elderly-alone'], 'utilities'],
    ['complex to general for a vulnerable reporter', 'complex', '投诉物业', ['disabled'], 'general'],
    ['words, then one level up for a vulnerable reporter', 'general', '停水', ['elderly-alone'], 'danger'],
    ['danger stays danger for a vulnerable reporter', 'danger', '起火', ['child'], 'danger'],
  ];

  it.each(cases)('%s', (_, defaultPriority, description, vulnerable, expected) => {
    expect(triagePriority({ defaultPriority, description, vulnerable }).level).toBe(expected);
  });

  it('says why it is above the default, and nothing when it is the default', () => {
    expect(
      triagePriority({ defaultPriority: 'general', description: '起火', vulnerable: [] }).reason,
    ).toMatch(/urgent word "(火|起火)"/);
    expect(
      triagePriority({ defaultPriority: 'general', description: '漏水', vulnerable: ['pregnant'] }).reason,
    ).toMatch(/vulnerable reporter \(pregnant\)/);
    expect(
      triagePriority({ defaultPriority: 'general', description: '漏水', vulnerable: [] }).reason,
    ).toBeUndefined();
  });

  it('finds the word that made it urgent', () => {
    expect(urgencyOfWords('电梯里有人被困')).toEqual({ level: 'danger', word: '被困' });
    expect(urgencyOfWords('nothing special')).toBeUndefined();
  });

  it.each([
    ['complex', 'general'],
    ['general', 'utilities'],
    ['utilities', 'danger'],
    ['danger', 'danger'],
  ] as [TicketPriority, TicketPriority][])('raises %s to %s', (from, to) => expect(raise(from)).toBe(to));

  it.each([
    ['danger', 'immediate'],
    ['utilities', 'urgent'],
    ['general', 'routine'],
    ['complex', 'routine'],
  ] as [TicketPriority, string][])('maps ticket priority %s to job priority %s', (ticket, job) =>
    expect(jobPriorityOf(ticket)).toBe(job),
  );
});
