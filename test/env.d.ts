type BridgeEnv = import("../src/config/env").Env;
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
  interface Env extends BridgeEnv {
    SANDBOX_CONTROL_TOKEN: string;
  }
}
