// Vite's `?raw` suffix imports a file's text; the Talkdesk document test compares the committed
// docs/talkdesk-manifest.md with a fresh render this way (workerd tests have no file system).
declare module "*.md?raw" {
  const text: string;
  export default text;
}
