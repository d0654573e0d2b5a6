/// Names of the server's session cookie: `__Host-` prefixed when the app is served over https (the prefix needs
/// `Secure`, which browsers refuse on plain http), plain otherwise. The server sets one of them; the local runtime
/// agent's preview proxy strips both from requests before they reach project code (cookies are not scoped by port, so
/// an IDE on 127.0.0.1 sends its cookie to every preview port).
export const SESSION_COOKIE_NAMES = { https: '__Host-slipway_session', http: 'slipway_session' } as const
