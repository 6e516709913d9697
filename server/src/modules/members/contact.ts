import type { EncryptedColumn } from '../../platform/crypto/encrypted-columns.js';
import type { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { normaliseIdNumber, normalisePhone } from '../access/field-policy/formats.js';
import type { MemberRecord } from './models.js';

/**
 * A member's contact data at rest: phone, e-mail and ID number are stored only as
 * ciphertext, each with an HMAC blind index over its normalized form for exact lookup
 * (the key never leaves the config, so the index cannot be reversed by guessing without
 * it). The phone's last four digits stay readable: they are what the masked view shows
 * anyway, and what the cashier types for 尾号 search.
 */
export const normaliseEmail = (value: string) => value.trim().toLowerCase();

export const MEMBER_ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'members', column: 'phone_enc', context: 'members.phone', blindIndex: { column: 'phone_bidx', normalize: normalisePhone } },
  { table: 'members', column: 'email_enc', context: 'members.email', blindIndex: { column: 'email_bidx', normalize: normaliseEmail } },
  { table: 'members', column: 'id_number_enc', context: 'members.id_number', blindIndex: { column: 'id_number_bidx', normalize: normaliseIdNumber } },
];

export interface ContactData {
  phone?: string | null;
  email?: string | null;
  idNumber?: string | null;
}

const CONTACT_FIELDS = ['phone', 'email', 'idNumber'] as const;

/** The contact fields a patch sets, leaving out those already equal in `current` (nothing to re-encrypt). */
export function contactChanges(patch: Record<string, unknown>, current: Record<string, unknown> = {}): ContactData {
  return Object.fromEntries(
    CONTACT_FIELDS.filter((key) => patch[key] !== undefined && patch[key] !== current[key]).map((key) => [key, patch[key]]),
  ) as ContactData;
}

type ContactColumns = Partial<
  Pick<MemberRecord, 'phoneEnc' | 'phoneBidx' | 'phoneLast4' | 'emailEnc' | 'emailBidx' | 'idNumberEnc' | 'idNumberBidx'>
>;

export class MemberContact {
  constructor(private readonly cipher: FieldCipher) {}

  phoneIndex(phone: string): string {
    return this.cipher.blindIndex(normalisePhone(phone), 'members.phone');
  }

  emailIndex(email: string): string {
    return this.cipher.blindIndex(normaliseEmail(email), 'members.email');
  }

  idNumberIndex(idNumber: string): string {
    return this.cipher.blindIndex(normaliseIdNumber(idNumber), 'members.id_number');
  }

  /** The columns for the keys present in `data`; null clears a value and its index. */
  seal(data: ContactData): ContactColumns {
    const out: ContactColumns = {};
    if (data.phone !== undefined) {
      const phone = data.phone === null ? null : normalisePhone(data.phone);
      out.phoneEnc = phone && this.cipher.encrypt(phone, 'members.phone');
      out.phoneBidx = phone && this.phoneIndex(phone);
      out.phoneLast4 = phone && phone.slice(-4);
    }
    if (data.email !== undefined) {
      const email = data.email === null ? null : normaliseEmail(data.email);
      out.emailEnc = email && this.cipher.encrypt(email, 'members.email');
      out.emailBidx = email && this.emailIndex(email);
    }
    if (data.idNumber !== undefined) {
      const id = data.idNumber === null ? null : normaliseIdNumber(data.idNumber);
      out.idNumberEnc = id && this.cipher.encrypt(id, 'members.id_number');
      out.idNumberBidx = id && this.idNumberIndex(id);
    }
    return out;
  }

  open(member: Pick<MemberRecord, 'phoneEnc' | 'emailEnc' | 'idNumberEnc'>): Required<ContactData> {
    return {
      phone: member.phoneEnc && this.cipher.decrypt(member.phoneEnc, 'members.phone'),
      email: member.emailEnc && this.cipher.decrypt(member.emailEnc, 'members.email'),
      idNumber: member.idNumberEnc && this.cipher.decrypt(member.idNumberEnc, 'members.id_number'),
    };
  }
}
