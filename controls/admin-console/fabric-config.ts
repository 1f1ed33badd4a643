// Imported first by main.tsx: Fluent UI registers the Segoe UI web fonts from Microsoft's CDN as it loads unless
// FabricConfig.fontBaseUrl is empty. The console uses the system's fonts; its Content-Security-Policy allows fonts
// from the bridge only.
const w = window as unknown as { FabricConfig?: Record<string, unknown> };
w.FabricConfig = { ...w.FabricConfig, fontBaseUrl: '' };
export {};
