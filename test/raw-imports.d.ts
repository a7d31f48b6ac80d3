// Vite's `?raw` suffix: the file's text (used to read wrangler.toml as deployed).
declare module '*?raw' {
  const text: string;
  export default text;
}
