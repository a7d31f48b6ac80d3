// Starts the API reference on /docs. A file of its own (not inline) so the page's CSP can
// say script-src 'self' with no 'unsafe-inline'. Everything that would call Scalar's own
// services is off: the page talks to this API only (connect-src 'self').
Scalar.createApiReference('#reference', {
  url: '/openapi.json',
  // System fonts instead of fonts.scalar.com.
  withDefaultFonts: false,
  // No "Ask AI" (it calls api.scalar.com through proxy.scalar.com).
  agent: { disabled: true },
  documentDownloadType: 'json',
  showDeveloperTools: 'never',
});
