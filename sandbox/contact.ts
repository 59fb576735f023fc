/**
 * Writing emails and phones into a candidate's ContactMethods (contract §4 and the control API).
 * Each list given replaces every item of its kind, wherever it sat; the rest of each ContactMethod
 * (address, the other kind) stays, and ContactMethods left empty disappear — as a CRM would do it.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { ContactMethodRecord, PhoneParts, PhoneSlot } from "./records";
import { PHONE_SLOTS } from "./records";

export const CONTACT_USES = ["mobile", "home", "work", "other"] as const;
export type ContactUse = (typeof CONTACT_USES)[number];

/** Where a contract phone `use` lands in HR-XML: the slot and the ContactMethod `Use` text. */
export const USE_PLACEMENT: Record<ContactUse, { slot: PhoneSlot; use: string }> = {
  mobile: { slot: "Mobile", use: "personal" },
  home: { slot: "Telephone", use: "personal" },
  work: { slot: "Telephone", use: "business" },
  other: { slot: "Telephone", use: "other" },
};

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * HR-XML parts of an E.164 number, or null when it is not one: the exact `+digits` syntax, and a
 * calling code and length libphonenumber finds possible. NANP numbers get their 3-digit area code split
 * off, as Talemetry stores them; elsewhere the whole national number is the subscriber number.
 */
export function e164Parts(number: string): PhoneParts | null {
  if (!E164.test(number)) return null;
  const parsed = parsePhoneNumberFromString(number);
  if (!parsed?.isPossible()) return null;
  const cc = parsed.countryCallingCode;
  const nsn = parsed.nationalNumber;
  if (cc === "1") {
    return {
      InternationalCountryCode: cc,
      AreaCityCode: nsn.slice(0, 3),
      SubscriberNumber: nsn.slice(3),
      FormattedNumber: number,
    };
  }
  return { InternationalCountryCode: cc, SubscriberNumber: nsn, FormattedNumber: number };
}

export interface PlacedPhone {
  slot: PhoneSlot;
  use: string | null;
  parts: PhoneParts;
}

function isEmpty(cm: ContactMethodRecord): boolean {
  return (
    !PHONE_SLOTS.some((s) => cm[s]) && cm.InternetEmailAddress === undefined && cm.InternetWebAddress === undefined && !cm.PostalAddress
  );
}

/** Returns new ContactMethods with the given lists replacing the old ones (absent list = unchanged). */
export function replaceContact(
  current: readonly ContactMethodRecord[],
  change: { emails?: readonly string[]; phones?: readonly PlacedPhone[] },
): ContactMethodRecord[] {
  let methods = current.map((cm) => {
    const copy: ContactMethodRecord = structuredClone(cm);
    if (change.phones) for (const slot of PHONE_SLOTS) delete copy[slot];
    if (change.emails) delete copy.InternetEmailAddress;
    return copy;
  });
  methods = methods.filter((cm) => !isEmpty(cm));
  for (const email of change.emails ?? []) {
    const target = methods.find((cm) => cm.InternetEmailAddress === undefined);
    if (target) target.InternetEmailAddress = email;
    else methods.push({ Use: "personal", InternetEmailAddress: email });
  }
  for (const phone of change.phones ?? []) {
    const target = methods.find((cm) => (cm.Use ?? null) === phone.use && !cm[phone.slot]);
    if (target) target[phone.slot] = phone.parts;
    else methods.push({ Use: phone.use, [phone.slot]: phone.parts });
  }
  return methods;
}
