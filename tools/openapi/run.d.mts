/** Writes the served OpenAPI documents to .build/openapi/; their file paths. */
export function writeDocuments(): Promise<{ partner: string; admin: string }>;
/** Writes the partner API's types (.build/openapi/v1-api.d.ts); its path. */
export function writeTypes(documentFile: string): Promise<string>;
/** `redocly lint` of each file; throws unless there is no problem at all. */
export function lint(files: string[]): void;
