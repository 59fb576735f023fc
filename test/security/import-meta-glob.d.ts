// Vite's `import.meta.glob`: the source scan in secrets.test.ts reads src/ as text this way (workerd
// tests have no file system).
interface ImportMeta {
  glob<T = unknown>(pattern: string | string[], options?: { query?: string; import?: string; eager?: boolean }): Record<string, T>;
}
