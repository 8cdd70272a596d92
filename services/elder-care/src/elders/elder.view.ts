// The elder as every role sees it: personal data masked (identity number, phones, address cut after the street).
// Issue 7 decides who may see whole values; the caregiver holding a visit reads them from GET /visits/:id/contact.
import { maskAddress, maskIdentityNumber, maskPhone } from '@linli/platform';
import type { ElderView } from './dto/elder.dto';
import type { ElderDocument } from './elder.schema';

export function toElderView(elder: ElderDocument): ElderView {
  return {
    elderId: elder._id,
    version: elder.version,
    name: elder.name,
    gender: elder.gender,
    birthDate: elder.birthDate,
    identityNumber: maskIdentityNumber(elder.identityNumber),
    phone: maskPhone(elder.phone),
    community: elder.community,
    address: maskAddress(elder.address),
    home: elder.home ? { lat: elder.home.lat, lng: elder.home.lng } : null,
    livingSituation: elder.livingSituation,
    careLevel: elder.careLevel,
    hardship: [...elder.hardship],
    emergencyContacts: elder.emergencyContacts.map((contact) => ({
      name: contact.name,
      relation: contact.relation,
      phone: maskPhone(contact.phone),
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
