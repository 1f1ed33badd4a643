/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS jest setup */
// jsdom has no ResizeObserver; Fluent UI and componentframework-mock expect one.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver = globalThis.ResizeObserver || ResizeObserverStub;

// Icons are not registered in unit tests; keep Fluent from warning about each one.
require('@fluentui/react').setIconOptions({ disableWarnings: true });
