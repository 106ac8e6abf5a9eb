// The tab icon: the brand diamond as SVG, served as an asset so the browser never probes /favicon.ico.

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">` +
  `<path d="M8 1 15 8 8 15 1 8z" fill="#2563c9"/></svg>`;
