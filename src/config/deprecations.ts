import type { Deprecation } from "../platform/deprecation";

/**
 * THE place to deprecate an operation or a field of the public API (docs/versioning.md): add an entry
 * here, with its dates and what to use instead, and a line under "Deprecated" in CHANGELOG.md. The app
 * then sends `Deprecation`, `Sunset` and `Link: rel="deprecation"` on every answer concerned, and
 * /openapi.json and /docs mark it deprecated. Nothing of v1 is deprecated today.
 */
export const DEPRECATIONS: readonly Deprecation[] = [];
