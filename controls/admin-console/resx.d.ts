// resx files are bundled as text (esbuild loader) and parsed by console-strings.ts.
declare module '*.resx' {
  const text: string;
  export default text;
}
