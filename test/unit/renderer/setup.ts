import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// findBy*/waitFor default to 1 s, too tight for a loaded CI machine.
configure({ asyncUtilTimeout: 10_000 });

// jsdom lacks the layout APIs Mantine and the virtualizer use.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({ matches: false, media: query, onchange: null, addListener: () => {}, removeListener: () => {}, addEventListener: () => {}, removeEventListener: () => {}, dispatchEvent: () => false }) as unknown as MediaQueryList;
}
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
Element.prototype.scrollTo ??= function scrollTo() {};
Element.prototype.scrollIntoView ??= function scrollIntoView() {};

afterEach(() => cleanup());

// The virtualizer reads the scroll box's size (clientHeight/offsetHeight), which jsdom reports as 0.
// Give every element a plausible box so virtualized lists render their first rows.
for (const [prop, value] of [['clientHeight', 520], ['offsetHeight', 520], ['clientWidth', 1000], ['offsetWidth', 1000]] as const) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
}
