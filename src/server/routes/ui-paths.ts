// URL spaces of the web UI, apart from its modules so the lazy loader can route without loading them.

/** Hashed client assets (JS, CSS, favicon). */
export const STATIC_PREFIX = "/static-files";
/** The UI's own JSON endpoints (runs table windows, metric series, previews). */
export const UI_API = "/ajax-api/2.0/tracker";
