// Runs in Node before the Workers pool starts: builds the simulator that tests bind as an auxiliary Worker.
import { buildSandbox } from "../scripts/build-sandbox.mjs";

export default async function setup() {
  await buildSandbox();
}
