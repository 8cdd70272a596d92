// Every queue and job name of emergency, here only. Renaming one strands the jobs already waiting under the old
// name: Bull never hands them to the renamed processor (see libs/scheduling/README.md).
import { defineScheduledJob } from '@linli/scheduling';

export const EmergencyJobs = {
  /**
   * An alert message's acknowledgement deadline: its recipients still silent get it again on their second channel
   * (alert.resend-requested, in batches). Key: alert id, message sequence.
   */
  alertAcknowledgeBy: defineScheduledJob<{ alertId: string; sequence: number }>({
    queue: 'emergency-alerts',
    name: 'alert-acknowledge-by',
  }),
  /**
   * The end of the second chance (ALERT_RESEND_WINDOW_MS after the deadline): those still silent are marked so and
   * listed to the coordinators (alert.escalated). Key: alert id, message sequence.
   */
  alertSilentAfter: defineScheduledJob<{ alertId: string; sequence: number }>({
    queue: 'emergency-alerts',
    name: 'alert-silent-after',
  }),
};
