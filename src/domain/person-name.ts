/**
 * A person's name as one line of text (what a Talkdesk agent types for a new contact) split into the
 * given and family names Talemetry stores (docs/contracts/talemetry-upstream.md §7: `GivenName`,
 * `FamilyName`). Pure.
 */

/** Talemetry takes at most this many characters per name part (§7, assumed). */
export const MAX_NAME_PART_CHARS = 200;

/** A name split for Talemetry; at least one part is non-empty for any text with a letter or digit. */
export interface PersonNameParts {
  givenName: string | null;
  familyName: string | null;
}

/**
 * `"Jane Doe"` → Jane / Doe; `"Maria de la Cruz"` → Maria / de la Cruz; `"Doe, Jane"` → Jane / Doe
 * (the comma form names the family first); `"Prince"` → Prince / none. Whitespace is collapsed.
 * Parts are cut to `MAX_NAME_PART_CHARS`.
 */
export function splitPersonName(text: string): PersonNameParts {
  const clean = (part: string) => {
    const value = part.replace(/\s+/g, " ").trim();
    return value ? Array.from(value).slice(0, MAX_NAME_PART_CHARS).join("").trim() : null;
  };
  const comma = text.indexOf(",");
  if (comma > 0) {
    const family = clean(text.slice(0, comma));
    const given = clean(text.slice(comma + 1));
    if (family && given) return { givenName: given, familyName: family };
  }
  const words = text.replace(/,/g, " ").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { givenName: null, familyName: null };
  return { givenName: clean(words[0]!), familyName: words.length > 1 ? clean(words.slice(1).join(" ")) : null };
}
