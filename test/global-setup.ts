// Runs in Node before the Workers pool starts: builds the simulator that tests bind as an auxiliary Worker,
// and writes the OpenAPI documents as the Worker serves them (tools/openapi/run.mjs).
import { buildSandbox } from "../scripts/build-sandbox.mjs";
import { writeDocuments } from "../tools/openapi/run.mjs";

export default async function setup() {
  // The OpenAPI documents as served (test/contract/ compares them with /openapi.json in workerd); the
  // types generated from them are for tsc, written by `npm run typecheck` (its pretypecheck).
  await Promise.all([writeDocuments(), buildSandbox()]);
}
