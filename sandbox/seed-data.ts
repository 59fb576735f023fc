/** Word lists the seed draws from. Names carry diacritics and particles on purpose (search and display). */

export const COUNTRIES = ["US", "GB", "DE", "FR", "AU", "IN", "BR", "MX"] as const;
export type Country = (typeof COUNTRIES)[number];

/** How often each country appears: mostly US, as in a US-headquartered CRM, but every one shows up. */
export const COUNTRY_WEIGHTS: ReadonlyArray<readonly [Country, number]> = [
  ["US", 34],
  ["GB", 12],
  ["DE", 8],
  ["FR", 8],
  ["AU", 7],
  ["IN", 11],
  ["BR", 10],
  ["MX", 10],
];

interface CountryWords {
  given: readonly string[];
  family: readonly string[];
  /** [municipality, region, postal code]. */
  cities: ReadonlyArray<readonly [string, string, string]>;
  domains: readonly string[];
}

export const WORDS: Record<Country, CountryWords> = {
  US: {
    given: ["James", "Mary", "Michael", "Jennifer", "DeShawn", "Emily", "José", "Aaliyah", "Robert", "Linda", "Kevin", "Ashley"],
    family: [
      "Smith",
      "Johnson",
      "Williams",
      "Brown",
      "Garcia",
      "Miller",
      "O'Brien",
      "Nguyen",
      "Washington",
      "Rodriguez",
      "Kim",
      "McAllister",
    ],
    cities: [
      ["Dallas", "TX", "75201"],
      ["Austin", "TX", "73301"],
      ["Chicago", "IL", "60601"],
      ["Seattle", "WA", "98101"],
      ["Miami", "FL", "33101"],
      ["Boston", "MA", "02108"],
    ],
    domains: ["example.com", "mail.example.com", "example.org"],
  },
  GB: {
    given: ["Oliver", "Amelia", "Harry", "Isla", "George", "Siobhan", "Aarav", "Freya"],
    family: ["Taylor", "Davies", "Evans", "Thomas", "Roberts", "Ó Súilleabháin", "Patel", "Wright"],
    cities: [
      ["London", "Greater London", "EC1A 1BB"],
      ["Manchester", "Greater Manchester", "M1 1AE"],
      ["Leeds", "West Yorkshire", "LS1 4AP"],
    ],
    domains: ["example.co.uk", "example.com"],
  },
  DE: {
    given: ["Lukas", "Anna", "Jürgen", "Sophie", "Maximilian", "Lea", "Özlem", "Jonas"],
    family: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "von Bülow", "Yılmaz", "Hoffmann"],
    cities: [
      ["Berlin", "Berlin", "10115"],
      ["München", "Bayern", "80331"],
      ["Hamburg", "Hamburg", "20095"],
    ],
    domains: ["example.de", "example.com"],
  },
  FR: {
    given: ["Camille", "Léa", "Hugo", "Chloé", "Théo", "Inès", "Mathéo", "Zoé"],
    family: ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "de La Fontaine", "Benali", "Girard"],
    cities: [
      ["Paris", "Île-de-France", "75001"],
      ["Lyon", "Auvergne-Rhône-Alpes", "69001"],
      ["Marseille", "Provence-Alpes-Côte d'Azur", "13001"],
    ],
    domains: ["example.fr", "example.com"],
  },
  AU: {
    given: ["Jack", "Charlotte", "William", "Mia", "Noah", "Matilda", "Kai", "Ruby"],
    family: ["Smith", "Jones", "Williams", "Brown", "Wilson", "Nguyen", "Kelly", "Murphy"],
    cities: [
      ["Sydney", "NSW", "2000"],
      ["Melbourne", "VIC", "3000"],
      ["Brisbane", "QLD", "4000"],
    ],
    domains: ["example.com.au", "example.com"],
  },
  IN: {
    given: ["Aarav", "Priya", "Vihaan", "Ananya", "Arjun", "Diya", "Rohan", "Saanvi"],
    family: ["Sharma", "Patel", "Reddy", "Iyer", "Gupta", "Singh", "Nair", "Banerjee"],
    cities: [
      ["Bengaluru", "Karnataka", "560001"],
      ["Mumbai", "Maharashtra", "400001"],
      ["New Delhi", "Delhi", "110001"],
    ],
    domains: ["example.in", "example.com"],
  },
  BR: {
    given: ["João", "Maria", "Pedro", "Ana", "Lucas", "Beatriz", "Gabriel", "Júlia"],
    family: ["Silva", "Santos", "Oliveira", "Souza", "Pereira", "da Costa", "Araújo", "Gonçalves"],
    cities: [
      ["São Paulo", "SP", "01000-000"],
      ["Rio de Janeiro", "RJ", "20000-000"],
      ["Belo Horizonte", "MG", "30100-000"],
    ],
    domains: ["example.com.br", "example.com"],
  },
  MX: {
    given: ["José", "María", "Juan", "Guadalupe", "Luis", "Fernanda", "Carlos", "Ximena"],
    family: ["Hernández", "García", "Martínez", "López", "González", "Pérez", "de la Cruz", "Ramírez"],
    cities: [
      ["Ciudad de México", "CDMX", "06000"],
      ["Monterrey", "NL", "64000"],
      ["Guadalajara", "JAL", "44100"],
    ],
    domains: ["example.com.mx", "example.com"],
  },
};

export const COMPANIES = [
  "Example Health",
  "Northwind Logistics",
  "Contoso Retail",
  "Fabrikam Manufacturing",
  "Globex",
  "Initech",
  "Umbrella Staffing",
  "Wayne Enterprises",
  "Stark Industries",
  "Acme Corp",
  "Tailspin Toys",
  "Blue Yonder Airlines",
];

export const TITLES = [
  "Registered Nurse",
  "Warehouse Associate",
  "Software Engineer",
  "Customer Service Representative",
  "CDL-A Driver",
  "Store Manager",
  "Sales Associate",
  "Data Analyst",
  "Forklift Operator",
  "Medical Assistant",
  "Account Executive",
  "Line Cook",
];

export const SCHOOLS = [
  "University of Texas at Austin",
  "University of Manchester",
  "Technische Universität München",
  "Université Paris-Saclay",
  "University of Sydney",
  "IIT Bombay",
  "Universidade de São Paulo",
  "UNAM",
];

export const DEGREES: ReadonlyArray<readonly [string, string]> = [
  ["B.S.", "NURSING"],
  ["B.A.", "ECONOMICS"],
  ["M.B.A", "BUSINESS ADMINISTRATION"],
  ["B.Tech", "COMPUTER SCIENCE"],
  ["Associate", "LOGISTICS"],
];

/** [posting id, title, department]. */
export const POSTINGS: ReadonlyArray<readonly [string, string, string | null]> = [
  ["rn-icu", "ICU Registered Nurse", "Nursing"],
  ["wh-assoc", "Warehouse Associate", "Operations"],
  ["sde-2", "Software Engineer II", "Engineering"],
  ["csr-remote", "Customer Service Representative (Remote)", null],
  ["cdl-driver", "CDL-A Driver", "Transport"],
  ["grfammed", "Family Medicine", "HR"],
  ["store-mgr", "Store Manager", "Retail"],
];

/** [code, name]. */
export const DISPOSITIONS: ReadonlyArray<readonly [string, string]> = [
  ["020", "020 Applied"],
  ["030", "030 Phone Screen"],
  ["050", "050 Interview"],
  ["080", "080 Offer"],
  ["090", "090 Hired"],
  ["100", "100 Not Selected"],
];

export const APP_SOURCES = ["INDEED", "LINKEDIN", "CAREER_SITE", "REFERRAL", "ZIPRECRUITER"];

export const NOTE_TEXTS = [
  "Left voicemail.",
  "Called, will call back tomorrow morning.",
  "Interested in night shifts.",
  "Sent the job description by email.",
  "Not interested at this time.",
  "Asked to be contacted again after March.",
  "Great phone screen — moving to interview.",
  "Number on file seems wrong, confirm by email.",
  "Prefers SMS over calls.",
  "Referred by a current employee.",
];

export const TAGS = [
  "nursing",
  "bilingual",
  "remote",
  "night-shift",
  "warehouse",
  "forklift",
  "sales",
  "engineering",
  "java",
  "cdl-a",
  "retail",
  "call-center",
  "graduate",
  "veteran",
  "advertising creative services",
];

/** Talemetry lifecycle states; `current_contingent` is the contract's `ExcludeLifeCycles` example. */
export const LIFECYCLES = ["applicant", "lead", "prospect", "current_contingent", "employee", "alumni"];

/** Candidate sources; `peoplesoft_ats` is the contract's `ExcludeSources` example. */
export const SOURCES = ["career_site", "indeed", "linkedin", "peoplesoft_ats", "import", "referral"];

export const AUDIENCES = ["techstaff", "college", "nursing", "hourly", "executive"];
export const LOCALES = ["en", "es", "fr", "de", "pt"];
