/**
 * Registers the service worker of the built app (`sw.js` at the base path). The dev server
 * has no such file and must not cache modules it rebuilds, so development runs without one.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const url = `${import.meta.env.BASE_URL}sw.js`;
  void navigator.serviceWorker.register(url, { type: 'module', scope: import.meta.env.BASE_URL }).catch((error: unknown) => {
    console.warn('The service worker did not register; the app works, but not offline.', error);
  });
}
