// The elder as users see it: personal data (identity number, phones, address cut after the road) masked, except
// for the staff of the elder's own community reading one elder (docs/adr/0027-masking-and-object-access.md). The
// caregiver holding a visit reads the contact from GET /visits/:id/contact; an open escalation names the people to
// call.
import type { Actor } from '@linli/auth';
import { maskAddress, maskIdentityNumber, maskPhone } from '@linli/platform';
import type { ElderView } from './dto/elder.dto';
import type { ElderDocument } from './elder.schema';

/** Whether a view shows the elder's identity number, phones and address whole or masked. */
export type Disclosure = 'whole' | 'masked';

/**
 * Whole for the operators and coordinators of the elder's own community (jurisdiction = the elder's 12-digit
 * community code): they know the elder, keep the record right and call to arrange care. Staff of a street or a
 * district, supervisors, admins and auditors oversee and see masked values.
 */
export function elderDisclosureFor(actor: Actor, elder: Pick<ElderDocument, 'community'>): Disclosure {
  const communityStaff = actor.has('operator', 'coordinator') && actor.jurisdiction === elder.community;
  return communityStaff ? 'whole' : 'masked';
}

/** One elder as `actor` may see it (its detail, and the answer to a change). */
export function toElderDetail(elder: ElderDocument, actor: Actor): ElderView {
  return toElderView(elder, elderDisclosureFor(actor, elder));
}

/** An elder as lists show it: masked unless told otherwise. */
export function toElderView(elder: ElderDocument, disclosure: Disclosure = 'masked'): ElderView {
  const whole = disclosure === 'whole';
  const phone = (value: string) => (whole ? value : maskPhone(value));
  return {
    elderId: elder._id,
    version: elder.version,
    name: elder.name,
    gender: elder.gender,
    birthDate: elder.birthDate,
    identityNumber: whole ? elder.identityNumber : maskIdentityNumber(elder.identityNumber),
    phone: phone(elder.phone),
    community: elder.community,
    address: whole ? elder.address : maskAddress(elder.address),
    home: elder.home ? { lat: elder.home.lat, lng: elder.home.lng } : null,
    livingSituation: elder.livingSituation,
    careLevel: elder.careLevel,
    hardship: [...elder.hardship],
    emergencyContacts: elder.emergencyContacts.map((contact) => ({
      name: contact.name,
      relation: contact.relation,
      phone: phone(contact.phone),
    })),
    consentToServices: elder.consent.services,
    status: elder.status,
    ...(elder.inactiveReason ? { inactiveReason: elder.inactiveReason } : {}),
    missedInARow: elder.missedInARow,
    source: elder.source,
    createdAt: new Date(elder.createdAt).toISOString(),
    updatedAt: new Date(elder.updatedAt).toISOString(),
  };
}
